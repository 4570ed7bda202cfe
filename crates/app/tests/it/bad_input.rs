//! Bad input gets a clear Vietnamese message and a 4xx; nothing is written;
//! the server keeps serving.

use crate::both;
use axum::http::StatusCode;

both!(malformed_oversized_and_mistyped_requests_get_vietnamese_4xx, |app| {
    let s = app.signed_in("hacthanh.canbo").await;
    let id = app.unit_id("14797").await;
    let csrf = s.csrf().await;
    // Missing field.
    let r = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("idem", "m1")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("Biểu mẫu không hợp lệ"), "{}", r.text);
    // Wrong content type.
    let r = s.post_raw(&format!("/admin/units/{id}/villages"), "text/plain", b"name=x".to_vec(), &[]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text.contains("không được hỗ trợ"));
    // Oversized body.
    let big = vec![b'a'; 21 * 1024 * 1024];
    let r = s.post_raw(&format!("/admin/units/{id}/villages"), "application/x-www-form-urlencoded", big, &[]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text.contains("quá lớn"));
    // Empty name.
    let r = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", "   "), ("idem", "m2")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("không được để trống"));
    // Bad contacts.
    let r = s
        .post_form(&format!("/admin/units/{id}/contacts"), &[("csrf", &csrf), ("phone", "abc"), ("email", "x@"), ("website", "ftp://x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Số điện thoại") && r.text.contains("thư điện tử") && r.text.contains("https://"));
    // Bad JSON on the API.
    let r = s.post_raw("/api/v1/units/14797/villages", "application/json", b"{not json".to_vec(), &[("x-csrf-token", &csrf)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    // Unknown unit ids.
    assert_eq!(s.get("/admin/units/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/admin/units/abc").await.status, StatusCode::BAD_REQUEST);
    // Still serving.
    assert_eq!(s.get("/healthz").await.status, StatusCode::OK);
    let villages = danchu_store::units::children(app.store(), id).await.unwrap();
    assert_eq!(villages.iter().filter(|v| v.unit.kind.level() == danchu_domain::units::Level::Village).count(), 6);
});

both!(nfd_input_is_stored_as_nfc_and_duplicates_are_refused, |app| {
    let s = app.signed_in("hacthanh.canbo").await;
    let id = app.unit_id("14797").await;
    let csrf = s.csrf().await;
    let nfd = "Ho\u{0302}\u{0300}ng Ha\u{0300}"; // "Hồng Hà" decomposed
    let r = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", nfd), ("idem", "n1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let kids = danchu_store::units::children(app.store(), id).await.unwrap();
    assert!(kids.iter().any(|v| v.unit.name == "Tổ dân phố Hồng Hà"), "stored NFC");
    // Same name typed in NFC, other case, other tone placement: a duplicate.
    let r = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", "hồng hà"), ("idem", "n2")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Đã có thôn, tổ dân phố tên này"));
    // A double click (same idempotency key) creates the village once.
    let a = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", "Tổ dân phố Sông Mã"), ("idem", "n3")]).await;
    let b = s.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", "Tổ dân phố Sông Mã"), ("idem", "n3")]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), b.location());
    let kids = danchu_store::units::children(app.store(), id).await.unwrap();
    assert_eq!(kids.iter().filter(|v| v.unit.name == "Tổ dân phố Sông Mã").count(), 1);
});

both!(api_create_village_is_idempotent_with_a_key, |app| {
    let s = app.signed_in("hacthanh.canbo").await;
    let me = s.get("/api/v1/me").await.json();
    let csrf = me["csrf_token"].as_str().unwrap().to_string();
    let body = r#"{"name":"Tân Sơn"}"#.as_bytes().to_vec();
    let h = [("x-csrf-token", csrf.as_str()), ("idempotency-key", "k-1")];
    let a = s.post_raw("/api/v1/units/14797/villages", "application/json", body.clone(), &h).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json()["name"], "Tổ dân phố Tân Sơn");
    let b = s.post_raw("/api/v1/units/14797/villages", "application/json", body.clone(), &h).await;
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.json()["code"], b.json()["code"]);
    // The same name under another key is a conflict, an empty one a validation error.
    let dup = s
        .post_raw(
            "/api/v1/units/14797/villages",
            "application/json",
            body.clone(),
            &[("x-csrf-token", csrf.as_str()), ("idempotency-key", "k-2")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.json()["error"]["details"][0].as_str().unwrap().contains("Đã có thôn"));
    let empty = s
        .post_raw("/api/v1/units/14797/villages", "application/json", br#"{"name":"  "}"#.to_vec(), &[("x-csrf-token", csrf.as_str())])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["error"]["fields"][0]["field"], "name");
    let no_csrf = s.post_raw("/api/v1/units/14797/villages", "application/json", body, &[]).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
});
