use crate::both;
use axum::http::StatusCode;

both!(home_names_the_province_and_labels_demo_data, |app| {
    let r = app.client().get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Tỉnh Thanh Hóa"));
    assert!(r.text.contains("DỮ LIỆU MẪU"), "demo banner missing");
    assert!(r.text.contains("<html lang=\"vi\">"));
});

both!(api_children_of_38_are_the_166_communes, |app| {
    let r = app.client().get("/api/v1/units?parent=38").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert_eq!(j["count"], 166);
    let units = j["units"].as_array().unwrap();
    let xa = units.iter().filter(|u| u["kind"] == "xa").count();
    let phuong = units.iter().filter(|u| u["kind"] == "phuong").count();
    assert_eq!((xa, phuong), (147, 19));
    assert!(units.iter().any(|u| u["code"] == "14797" && u["name"] == "Phường Hạc Thành"));
    // The pre-2025 structure is kept apart: 26 districts under the old province.
    let old = app.client().get("/api/v1/units?parent=38&era=pre2025").await.json();
    assert_eq!(old["count"], 26);
});

both!(codes_reused_by_the_reform_resolve_per_era, |app| {
    let c = app.client();
    let now = c.get("/api/v1/units/14758").await.json();
    assert_eq!(now["name"], "Phường Hàm Rồng");
    let then = c.get("/api/v1/units/14758?era=pre2025").await.json();
    assert_eq!(then["name"], "Phường Đông Thọ");
    assert_eq!(then["valid_to"], "2025-07-01");
    let h = c.get("/history?q=dong%20tho").await;
    assert!(h.text.contains("Phường Đông Thọ"));
});

both!(commune_search_ignores_diacritics_case_and_tone_placement, |app| {
    let c = app.client();
    for q in ["hac%20thanh", "H%E1%BA%A1c%20Th%C3%A0nh", "HAC%20THANH", "Ha%CC%A3c%20Tha%CC%80nh"] {
        let r = c.get(&format!("/communes?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("/units/14797"), "query {q} did not find Hạc Thành");
        assert!(!r.text.contains("/units/14845"), "query {q} matched too much");
    }
    let api = c.get("/api/v1/communes?q=muong%20lat").await.json();
    assert_eq!(api["count"], 1);
    assert_eq!(api["units"][0]["code"], "14845");
    let none = c.get("/communes?q=zzzz").await;
    assert!(none.text.contains("Không tìm thấy"));
});

both!(commune_page_lists_villages_and_contacts, |app| {
    let r = app.client().get("/units/14797").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Phường Hạc Thành"));
    assert!(r.text.contains("Tổ dân phố 1"));
    assert!(r.text.contains("0237 3000 000"));
    assert!(r.text.contains("Trường Tiểu học Hạc Thành"));
    // A village page has its household count and no personal data.
    let v = app.client().get("/units/14797.001").await;
    assert_eq!(v.status, StatusCode::OK);
    assert!(v.text.contains("Tổ dân phố 1"));
    assert!(!v.text.contains("CCCD"));
});

both!(unknown_unit_is_a_vietnamese_404_and_english_on_request, |app| {
    let c = app.client();
    let r = c.get("/units/99999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("Không tìm thấy"));
    let e = c.get("/units/99999?lang=en").await;
    assert!(e.text.contains("was not found"));
    let api = c.get("/api/v1/units/99999").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not_found");
});

both!(public_pages_are_cached_and_revalidated_with_etags, |app| {
    let c = app.client();
    let a = c.get("/units/14797").await;
    let etag = a.headers.get("etag").expect("etag").to_str().unwrap().to_string();
    let b = c.get_with("/units/14797", &[("if-none-match", &etag)]).await;
    assert_eq!(b.status, StatusCode::NOT_MODIFIED);
    assert!(!app.state.cache.is_empty());
});

both!(every_ui_string_has_english, |app| {
    let r = app.client().get("/?lang=en").await;
    assert!(r.text.contains("<html lang=\"en\">"));
    assert!(r.text.contains("DEMO DATA"));
    assert!(r.text.contains("Find a commune or ward"));
});

both!(openapi_document_and_docs_are_served, |app| {
    let c = app.client();
    let r = c.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert!(j["paths"]["/api/v1/units"].is_object());
    assert!(j["paths"]["/api/v1/villages/{code}/households"].is_object());
    let d = c.get("/api/docs/").await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.text.to_lowercase().contains("swagger"));
});
