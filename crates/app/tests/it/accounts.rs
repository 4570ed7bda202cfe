use crate::both;
use crate::harness::{TestApp, DEMO_PASSWORD};
use crate::smtp::SmtpSink;
use axum::http::StatusCode;
use danchu_store::Backend;

both!(login_sets_a_secure_session_and_logout_ends_it, |app| {
    let c = app.client();
    let r = c.login("hacthanh.canbo", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/dashboard");
    let sc: Vec<String> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = sc.iter().find(|s| s.starts_with("danchu_sid=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let d = c.get("/dashboard").await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.text.contains("Nguyễn Văn Cán"));
    assert!(d.text.contains("Công chức cấp xã"));
    let csrf = d.input("csrf");
    let out = c.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = c.get("/dashboard").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
});

both!(wrong_password_is_refused_in_vietnamese_then_the_account_locks, |app| {
    let c = app.client();
    for i in 0..5 {
        let r = c.login("hacthanh.canbo", "sai-mat-khau").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(r.text.contains("không đúng"));
    }
    // Locked now, even with the right password, and from another address.
    let other = app.client();
    let mut other = other;
    other.ip = "198.51.100.9".into();
    let r = other.login("hacthanh.canbo", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("tạm khóa"));
    // Another account is not affected.
    let ok = app.client().login("muonglat.canbo", DEMO_PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
});

both!(four_failures_then_success_does_not_lock, |app| {
    let c = app.client();
    for _ in 0..4 {
        assert_eq!(c.login("hacthanh.canbo", "sai").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(c.login("hacthanh.canbo", DEMO_PASSWORD).await.status, StatusCode::SEE_OTHER);
});

both!(forms_without_the_csrf_token_are_refused, |app| {
    let c = app.client();
    let _ = c.get("/login").await;
    let r = c.post_form("/login", &[("username", "hacthanh.canbo"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("Biểu mẫu đã hết hạn"));
    let s = app.signed_in("hacthanh.canbo").await;
    let id = app.unit_id("14797").await;
    for (path, fields) in [
        (format!("/admin/units/{id}/villages"), vec![("name", "Thôn Mới"), ("idem", "k1")]),
        (format!("/admin/units/{id}/contacts"), vec![("phone", "0237 3999 999")]),
        ("/logout".to_string(), vec![]),
        (
            format!("/admin/units/{id}/users"),
            vec![
                ("username", "x.y"),
                ("full_name", "Nguyễn X"),
                ("role", "village_head"),
                ("unit_id", "1"),
                ("password", "mot-mat-khau-dai"),
                ("idem", "k2"),
            ],
        ),
    ] {
        let mut f = fields.clone();
        f.push(("csrf", "0000000000000000000000000000000000000000000000000000000000000000"));
        let r = s.post_form(&path, &f).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A cross-site request is refused before the form is even read.
    let csrf = s.csrf().await;
    let body = format!("csrf={csrf}&name=Thon+X&idem=k3");
    let r = s
        .post_raw(
            &format!("/admin/units/{id}/villages"),
            "application/x-www-form-urlencoded",
            body.into_bytes(),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("Biểu mẫu đã hết hạn"), "the refusal is explained: {}", r.text);
    let r = s
        .post_raw(
            &format!("/admin/units/{id}/villages"),
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&name=Thon+Y&idem=k4").into_bytes(),
            &[("origin", "https://evil.example"), ("host", "localhost")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

both!(security_headers_are_set_on_every_page, |app| {
    let r = app.client().get("/").await;
    let h = |k: &str| r.headers.get(k).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(h("content-security-policy").contains("default-src 'self'"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("x-frame-options"), "DENY");
    assert_eq!(h("referrer-policy"), "same-origin");
});

async fn reset_flow(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = TestApp::build(backend, true, |c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = sink.port;
        c.smtp.from = "danchu <no-reply@danchu.test>".into();
    })
    .await;
    // Give the demo official an e-mail address.
    set_email(&app, "hacthanh.canbo", "canbo@hacthanh.test").await;
    let c = app.client();
    let f = c.get("/password/forgot").await;
    let csrf = f.input("csrf");
    let r = c.post_form("/password/forgot", &[("csrf", &csrf), ("email", "canbo@hacthanh.test")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("thư đã được gửi"));
    // Unknown addresses get the same answer and no mail.
    let r2 = c.post_form("/password/forgot", &[("csrf", &csrf), ("email", "nobody@hacthanh.test")]).await;
    assert!(r2.text.contains("thư đã được gửi"));
    assert_eq!(app.drain_jobs().await, 1);
    let mails = sink.received();
    assert_eq!(mails.len(), 1, "one real SMTP delivery");
    assert!(mails[0].to[0].contains("canbo@hacthanh.test"));
    let data = decode_body(&mails[0].data);
    let start = data.find("/password/reset?token=").expect("link in mail") + "/password/reset?token=".len();
    let token: String = data[start..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(token.len(), 64);
    let form = c.get(&format!("/password/reset?token={token}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.input("csrf");
    let short = c.post_form("/password/reset", &[("csrf", &csrf), ("token", &token), ("password", "ngan"), ("confirm", "ngan")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new_pw = "mật khẩu mới rất dài 2026";
    let ok = c.post_form("/password/reset", &[("csrf", &csrf), ("token", &token), ("password", new_pw), ("confirm", new_pw)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    // The token works once.
    let again = c.post_form("/password/reset", &[("csrf", &csrf), ("token", &token), ("password", new_pw), ("confirm", new_pw)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.client().login("hacthanh.canbo", DEMO_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.client().login("hacthanh.canbo", new_pw).await.status, StatusCode::SEE_OTHER);
}

async fn set_email(app: &TestApp, username: &str, email: &str) {
    let mut tx = app.store().write().await.unwrap();
    danchu_store::accounts::set_email(&mut tx, username, email).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_by_one_time_token_over_real_smtp_sqlite() {
    reset_flow(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_by_one_time_token_over_real_smtp_postgres() {
    reset_flow(Backend::Postgres).await;
}

both!(new_accounts_must_change_their_temporary_password, |app| {
    new_village_head(&app, "tdp1.moi", "Vũ Thị Mới", "tam-thoi-2026-x", "u-1").await;
    let u = app.client();
    let l = u.login("tdp1.moi", "tam-thoi-2026-x").await;
    assert_eq!(l.location(), "/account/password");
    let blocked = u.get("/dashboard").await;
    assert_eq!(blocked.location(), "/account/password");
    let form = u.get("/account/password").await;
    let csrf = form.input("csrf");
    let ch = u
        .post_form(
            "/account/password",
            &[("csrf", &csrf), ("current", "tam-thoi-2026-x"), ("password", "mat-khau-cua-toi-2026"), ("confirm", "mat-khau-cua-toi-2026")],
        )
        .await;
    assert_eq!(ch.status, StatusCode::SEE_OTHER, "{}", ch.text);
    assert_eq!(u.get("/dashboard").await.status, StatusCode::OK);
});

/// The text of a single-part message, whatever its transfer encoding.
pub fn decode_body(raw: &str) -> String {
    use base64::Engine;
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    if head.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        let b: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).expect("base64")).expect("utf-8")
    } else if head.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable") {
        // Soft line breaks, then =XX bytes.
        let b = body.replace("=\n", "");
        let bytes = b.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(v) = u8::from_str_radix(&b[i + 1..i + 3], 16) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.replace("=\n", "")
    }
}

both!(a_flood_of_writes_from_one_address_is_refused_with_429, |app| {
    let c = app.client();
    let mut last = StatusCode::OK;
    for _ in 0..=danchu::web::ratelimit::MAX_WRITES {
        last = c.post_form("/password/forgot", &[("email", "x@y.vn")]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let r = c.post_form("/login", &[]).await;
    assert!(r.text.contains("quá nhiều yêu cầu"), "{}", r.text);
    // Reading still works, and another address may still write.
    assert_eq!(c.get("/").await.status, StatusCode::OK);
    let mut other = app.client();
    other.ip = "198.51.100.77".into();
    assert_ne!(other.post_form("/password/forgot", &[("email", "x@y.vn")]).await.status, StatusCode::TOO_MANY_REQUESTS);
});

both!(redirect_targets_stay_on_this_site, |app| {
    let s = app.signed_in("hacthanh.canbo").await;
    for next in ["//evil.example", "/%09/evil.example", "/%5Cevil.example", "https://evil.example"] {
        let r = s.get(&format!("/login?next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let loc = r.location();
        assert!(loc.starts_with('/') && !loc.starts_with("//") && !loc.contains('\t') && !loc.contains('\\'), "{next} -> {loc:?}");
        let l = s.get(&format!("/lang/en?next={next}")).await;
        let loc = l.location();
        assert!(!loc.starts_with("//") && !loc.contains('\t') && !loc.contains('\\') && !loc.contains("://"), "{next} -> {loc:?}");
    }
});

both!(a_temporary_password_blocks_the_api_and_a_change_signs_out_other_devices, |app| {
    new_village_head(&app, "tam.thoi", "Vũ Văn Tạm", "tam-thoi-2026-y", "t-1").await;
    let phone = app.client();
    phone.login("tam.thoi", "tam-thoi-2026-y").await;
    assert_eq!(phone.get("/api/v1/villages/14797.001/households").await.status, StatusCode::FORBIDDEN);
    // Change the password on a second device; the first one is signed out.
    let pc = app.client();
    pc.login("tam.thoi", "tam-thoi-2026-y").await;
    let form = pc.get("/account/password").await;
    let c2 = form.input("csrf");
    let ch = pc
        .post_form(
            "/account/password",
            &[("csrf", &c2), ("current", "tam-thoi-2026-y"), ("password", "mat-khau-moi-cua-toi"), ("confirm", "mat-khau-moi-cua-toi")],
        )
        .await;
    assert_eq!(ch.status, StatusCode::SEE_OTHER, "{}", ch.text);
    assert_eq!(pc.get("/api/v1/villages/14797.001/households").await.status, StatusCode::OK);
    assert_eq!(phone.get("/api/v1/villages/14797.001/households").await.status, StatusCode::UNAUTHORIZED);
});

/// A village head of Tổ dân phố 1 created by the commune official through the
/// users page, with a temporary password.
async fn new_village_head(app: &TestApp, username: &str, full_name: &str, password: &str, idem: &str) {
    let s = app.signed_in("hacthanh.canbo").await;
    let id = app.unit_id("14797").await;
    let v1 = app.unit_id("14797.001").await.to_string();
    let csrf = s.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("idem", idem),
        ("username", username),
        ("full_name", full_name),
        ("role", "village_head"),
        ("unit_id", &v1),
        ("password", password),
    ];
    let r = s.post_form(&format!("/admin/units/{id}/users"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}
