//! E-mail through the outbox: messages are queued as jobs in the same
//! transaction as the change that causes them, and sent by the job worker
//! over SMTP (retried with back-off when the server is down).

use crate::config::SmtpConfig;
use danchu_domain::Lang;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// The password-reset message: (subject, plain-text body).
pub fn reset_email(lang: Lang, full_name: &str, link: &str) -> (String, String) {
    match lang {
        Lang::Vi => (
            "Đặt lại mật khẩu — Dân chủ ở cơ sở".to_string(),
            format!(
                "Chào {full_name},\n\nCó yêu cầu đặt lại mật khẩu cho tài khoản của bạn. Mở đường dẫn sau trong vòng 1 giờ để chọn mật khẩu mới (chỉ dùng được một lần):\n\n{link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu cũ vẫn dùng được.\n"
            ),
        ),
        Lang::En => (
            "Password reset — Grassroots democracy".to_string(),
            format!(
                "Hello {full_name},\n\nSomeone asked to reset your account's password. Open this link within 1 hour to choose a new one (it works once):\n\n{link}\n\nIf it was not you, ignore this e-mail; your password is unchanged.\n"
            ),
        ),
    }
}

/// Sends one plain-text message. Without a configured host, fails so the job
/// stays queued (and is visible in /metrics).
pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), String> {
    send_with_id(cfg, to, subject, body, None).await
}

/// [`send`] with a fixed `Message-ID` (outbox messages: a retry carries the
/// same id, so receiving systems can drop a duplicate).
pub async fn send_with_id(cfg: &SmtpConfig, to: &str, subject: &str, body: &str, message_id: Option<&str>) -> Result<(), String> {
    if cfg.host.is_empty() {
        return Err("SMTP is not configured (smtp.host)".into());
    }
    let msg = Message::builder()
        .from(cfg.from.parse().map_err(|e| format!("smtp.from: {e}"))?)
        .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
        .subject(subject)
        .message_id(message_id.map(str::to_string))
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| e.to_string())?;
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str()).port(cfg.port);
    if !cfg.username.is_empty() {
        builder = builder.credentials(Credentials::new(cfg.username.clone(), cfg.password.0.clone()));
    }
    let transport = builder.build();
    transport.send(msg).await.map_err(|e| e.to_string())?;
    Ok(())
}
