//! Authorization: an official of one commune gets 403 or 404 for every page
//! and action of another commune; roles see only what they may.

use crate::both;
use axum::http::StatusCode;

both!(an_official_of_one_commune_is_refused_everything_of_another, |app| {
    let s = app.signed_in("hacthanh.canbo").await;
    let csrf = s.csrf().await;
    let ml = app.unit_id("14845").await;
    let ml_village = app.unit_id("14845.001").await;
    let rows = danchu_store::households::list_by_village(app.store(), ml_village, 0, 1).await.unwrap();
    let ml_household = rows[0].id;
    let ml_import = {
        let mut tx = app.store().write().await.unwrap();
        let id = danchu_store::imports::create(&mut tx, ml, None, "x.csv", "00", b"a,b").await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let gets = [
        format!("/admin/units/{ml}"),
        format!("/admin/units/{ml_village}"),
        format!("/admin/units/{ml_village}/households"),
        format!("/admin/households/{ml_household}"),
        format!("/admin/units/{ml}/imports"),
        format!("/admin/imports/{ml_import}"),
        format!("/admin/units/{ml}/users"),
        format!("/admin/units/{ml}/audit"),
        "/api/v1/villages/14845.001/households".to_string(),
    ];
    for path in &gets {
        let r = s.get(path).await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "GET {path} gave {}", r.status);
        assert!(!r.text.contains("HK000001"), "GET {path} leaked household data");
    }
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (format!("/admin/units/{ml}/villages"), vec![("name", "Bản Lạ".into()), ("idem", "a1".into())]),
        (
            format!("/admin/units/{ml}/organisations"),
            vec![("name", "Công ty Lạ".into()), ("kind", "enterprise".into()), ("idem", "a2".into())],
        ),
        (format!("/admin/units/{ml}/contacts"), vec![("phone", "0237 1111 111".into())]),
        (
            format!("/admin/units/{ml_village}/households"),
            vec![
                ("code", "LA1".into()),
                ("address", "Bản Lạ".into()),
                ("full_name", "Lò Văn Lạ".into()),
                ("birth_date", "01/01/1980".into()),
                ("relation", "Chủ hộ".into()),
                ("idem", "a6".into()),
            ],
        ),
        (format!("/admin/households/{ml_household}/close"), vec![("date", "01/01/2030".into())]),
        (
            format!("/admin/units/{ml}/users"),
            vec![
                ("username", "ke.la".into()),
                ("full_name", "Kẻ Lạ".into()),
                ("role", "village_head".into()),
                ("unit_id", ml_village.to_string()),
                ("password", "mat-khau-dai-qua".into()),
                ("idem", "a3".into()),
            ],
        ),
    ];
    for (path, fields) in &posts {
        let mut f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        f.push(("csrf", &csrf));
        let r = s.post_form(path, &f).await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "POST {path} gave {}: {}", r.status, r.text);
    }
    let up = s.upload(&format!("/admin/units/{ml}/imports"), &csrf, "a4", "x.csv", b"a,b\n").await;
    assert_eq!(up.status, StatusCode::FORBIDDEN);
    let api = s
        .post_raw(
            "/api/v1/units/14845/villages",
            "application/json",
            r#"{"name":"Bản Lạ"}"#.as_bytes().to_vec(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    // Granting a role in another commune through one's own page is refused too.
    let own = app.unit_id("14797").await;
    let r = s
        .post_form(
            &format!("/admin/units/{own}/users"),
            &[
                ("csrf", &csrf),
                ("idem", "a5"),
                ("username", "ke.la2"),
                ("full_name", "Kẻ Lạ"),
                ("role", "village_head"),
                ("unit_id", &ml_village.to_string()),
                ("password", "mat-khau-dai-qua"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing was written: no village, no user.
    assert!(danchu_store::accounts::by_username(app.store(), "ke.la").await.unwrap().is_none());
    assert!(danchu_store::accounts::by_username(app.store(), "ke.la2").await.unwrap().is_none());
    let villages = danchu_store::units::children(app.store(), ml).await.unwrap();
    assert!(!villages.iter().any(|v| v.unit.name.contains("Lạ")));
    // While the own commune works.
    assert_eq!(s.get(&format!("/admin/units/{own}")).await.status, StatusCode::OK);
});

both!(roles_see_only_what_they_may, |app| {
    let v1 = app.unit_id("14797.001").await;
    let v2 = app.unit_id("14797.002").await;
    // A village head sees the households of their own village only.
    let head = app.signed_in("hacthanh.tdp1").await;
    assert_eq!(head.get(&format!("/admin/units/{v1}/households")).await.status, StatusCode::OK);
    assert_eq!(head.get(&format!("/admin/units/{v2}/households")).await.status, StatusCode::FORBIDDEN);
    let commune = app.unit_id("14797").await;
    assert_eq!(head.get(&format!("/admin/units/{commune}/imports")).await.status, StatusCode::FORBIDDEN);
    // The province supervisor sees statistics but no household list.
    let sup = app.signed_in("tinh.giamsat").await;
    assert_eq!(sup.get(&format!("/admin/units/{commune}")).await.status, StatusCode::OK);
    assert_eq!(sup.get(&format!("/admin/units/{v1}/households")).await.status, StatusCode::FORBIDDEN);
    // A citizen has no management page at all.
    let citizen = app.signed_in("congdan").await;
    assert_eq!(citizen.get(&format!("/admin/units/{v2}")).await.status, StatusCode::FORBIDDEN);
    // Anonymous visitors are sent to sign in; the API answers 401.
    let anon = app.client();
    let r = anon.get(&format!("/admin/units/{commune}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    assert_eq!(anon.get("/api/v1/villages/14797.001/households").await.status, StatusCode::UNAUTHORIZED);
    // The system administrator may see everything.
    let admin = app.signed_in("quantri").await;
    assert_eq!(admin.get(&format!("/admin/units/{v2}/households")).await.status, StatusCode::OK);
});

both!(roles_are_withdrawn_by_those_who_may_grant_them_and_take_effect_at_once, |app| {
    let official = app.signed_in("hacthanh.canbo").await;
    let head = app.signed_in("hacthanh.tdp1").await;
    let v1 = app.unit_id("14797.001").await;
    assert_eq!(head.get(&format!("/admin/units/{v1}/households")).await.status, StatusCode::OK);
    let commune = app.unit_id("14797").await;
    let page = official.get(&format!("/admin/units/{commune}/users")).await;
    let csrf = page.input("csrf");
    let user = danchu_store::accounts::by_username(app.store(), "hacthanh.tdp1").await.unwrap().unwrap();
    let grant = danchu_store::accounts::grants_of(app.store(), user.id).await.unwrap()[0].id;
    // Not from another commune's page, nor by another commune's official.
    let other = app.signed_in("muonglat.canbo").await;
    let ml = app.unit_id("14845").await;
    let other_csrf = other.csrf().await;
    assert_eq!(
        other.post_form(&format!("/admin/units/{ml}/grants/{grant}/revoke"), &[("csrf", &other_csrf)]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other.post_form(&format!("/admin/units/{commune}/grants/{grant}/revoke"), &[("csrf", &other_csrf)]).await.status,
        StatusCode::FORBIDDEN
    );
    // Nobody withdraws their own role.
    let own = danchu_store::accounts::grants_of(
        app.store(),
        danchu_store::accounts::by_username(app.store(), "hacthanh.canbo").await.unwrap().unwrap().id,
    )
    .await
    .unwrap()[0]
        .id;
    assert_eq!(
        official.post_form(&format!("/admin/units/{commune}/grants/{own}/revoke"), &[("csrf", &csrf)]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The commune official withdraws the village head's role; the head's open session loses it at once.
    let r = official.post_form(&format!("/admin/units/{commune}/grants/{grant}/revoke"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(head.get(&format!("/admin/units/{v1}/households")).await.status, StatusCode::FORBIDDEN);
    let audit = official.get(&format!("/admin/units/{commune}/audit")).await;
    assert!(audit.text.contains("Thu hồi vai trò"));
});
