//! The notification outbox: messages are rows (`danchu_store::notifications`)
//! written in the transaction that caused them, delivered by jobs through a
//! [`Channel`]. Today the only channel is e-mail over SMTP; an SMS or Zalo
//! gateway is another implementation of the trait and a name in
//! [`channel_for`].
//!
//! Delivery is at most once per message as far as the platform can tell: a
//! message already marked sent is never handed to a channel again, and the
//! unique `dedupe_key` stops a publication from queueing the same message
//! twice. The one window left is a crash between the SMTP server's
//! acceptance and the `sent_at` commit; the retry then sends again, with
//! the same `Message-ID`, which mail systems use to drop duplicates.

use crate::context::Ctx;
use crate::error::AppResult;
use danchu_domain::disclosure::Category;
use danchu_store::notifications::{self, Subscription};
use danchu_store::{jobs, now_ms, Tx};
use std::future::Future;
use std::pin::Pin;

/// Fans a published item (or new version) out to the subscribers.
/// Payload `{"id", "version"}`. Safe twice: the outbox keys are unique.
pub const NOTIFY_DISCLOSURE: &str = "notify_disclosure";
/// Delivers one outbox message. Payload `{"outbox_id"}`. Safe twice: a sent
/// message is skipped.
pub const DELIVER: &str = "deliver";

/// A way to reach a person.
pub trait Channel: Send + Sync {
    fn name(&self) -> &'static str;
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
        message_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// E-mail through the configured SMTP server.
pub struct Email<'c> {
    pub ctx: &'c Ctx,
}

impl Channel for Email<'_> {
    fn name(&self) -> &'static str {
        "email"
    }

    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
        message_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move { crate::mail::send_with_id(&self.ctx.cfg.smtp, to, subject, body, Some(message_id)).await })
    }
}

/// The channel of a stored message.
pub fn channel_for<'c>(ctx: &'c Ctx, name: &str) -> Option<Box<dyn Channel + 'c>> {
    match name {
        "email" => Some(Box::new(Email { ctx })),
        _ => None,
    }
}

/// Queues a message and the job that delivers it, inside `tx`.
pub async fn queue(tx: &mut Tx, channel: &str, to: &str, dedupe_key: &str, subject: &str, body: &str) -> AppResult<bool> {
    match notifications::enqueue(tx, channel, to, dedupe_key, subject, body).await? {
        Some(id) => {
            let payload = serde_json::json!({ "outbox_id": id }).to_string();
            jobs::enqueue(tx, DELIVER, &payload, Some(&format!("deliver:{id}")), now_ms()).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Runs a [`DELIVER`] job.
pub async fn deliver(ctx: &Ctx, outbox_id: i64) -> Result<(), String> {
    let Some(m) = notifications::message(&ctx.store, outbox_id).await.map_err(|e| e.to_string())? else { return Ok(()) };
    if m.sent {
        return Ok(());
    }
    let Some(ch) = channel_for(ctx, &m.channel) else { return Err(format!("no channel {}", m.channel)) };
    let host = ctx.cfg.public_url.split("://").nth(1).unwrap_or("danchu.local").split('/').next().unwrap_or("danchu.local").to_string();
    let message_id = format!("<outbox-{}@{}>", m.id, host);
    match ch.send(&m.recipient, &m.subject, &m.body, &message_id).await {
        Ok(()) => {
            notifications::mark_sent(&ctx.store, m.id).await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Err(e) => {
            let _ = notifications::mark_failed(&ctx.store, m.id, &e).await;
            Err(e)
        }
    }
}

fn item_mail(ctx: &Ctx, s: &Subscription, id: i64, title: &str, unit: &str, category: &str, version: i64) -> (String, String) {
    let base = ctx.cfg.public_url.trim_end_matches('/');
    let cat = Category::parse(category).map(|c| c.label().vi).unwrap_or_default();
    let subject = if version > 1 { format!("[Công khai – sửa đổi] {title}") } else { format!("[Công khai] {title}") };
    let body = format!(
        "{unit} vừa công khai{}:\n\n{title}\nLĩnh vực: {cat}\n\nXem toàn văn: {base}/disclosures/{id}\n\n--\nBạn nhận thư này vì đã đăng ký nhận tin công khai trên {base}.\nHủy đăng ký: {base}/subscriptions/{}\n",
        if version > 1 { " nội dung sửa đổi" } else { "" },
        s.token
    );
    (subject, body)
}

/// Runs a [`NOTIFY_DISCLOSURE`] job: one outbox message per matching
/// subscription, in pages of 500, each page one transaction.
pub async fn fan_out(ctx: &Ctx, id: i64, version: i64) -> Result<(), String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let Some(d) = danchu_store::disclosures::detail(&ctx.store, id).await.map_err(e)? else { return Ok(()) };
    if d.item.audience != "citizens" || d.item.withdrawn {
        return Ok(());
    }
    let mut after = 0;
    loop {
        let subs = notifications::matching(&ctx.store, &d.unit_path, &d.item.category, after, 500).await.map_err(e)?;
        let Some(last) = subs.last() else { break };
        after = last.id;
        let mut tx = ctx.store.write().await.map_err(e)?;
        for s in &subs {
            let (subject, body) = item_mail(ctx, s, id, &d.item.title, &d.item.unit_name, &d.item.category, version);
            queue(&mut tx, "email", &s.email, &format!("disclosure:{id}:{version}:{}", s.id), &subject, &body)
                .await
                .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|x| x.to_string())?;
    }
    crate::jobs::wake();
    Ok(())
}
