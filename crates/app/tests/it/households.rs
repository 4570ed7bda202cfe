//! The household registry and its import.

use crate::both;
use crate::harness::{Client, TestApp};
use axum::http::StatusCode;
use danchu::import::{sample_households_with, write_sample_csv, write_sample_xlsx, SampleHousehold, SampleSpec};

/// Creates the villages of Phường Bỉm Sơn (no demo data there) as the
/// administrator; returns (commune id, village full names).
async fn bim_son(app: &TestApp, admin: &Client) -> (i64, Vec<String>) {
    let id = app.unit_id("14812").await;
    let csrf = admin.csrf().await;
    let mut names = Vec::new();
    for (i, n) in ["Ba Đình", "Lam Sơn"].iter().enumerate() {
        let r = admin.post_form(&format!("/admin/units/{id}/villages"), &[("csrf", &csrf), ("name", n), ("idem", &format!("v{i}"))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        names.push(format!("Tổ dân phố {n}"));
    }
    (id, names)
}

fn sample(names: &[String], n: usize) -> Vec<SampleHousehold> {
    sample_households_with(&SampleSpec {
        village_names: names,
        households: n,
        seed: 77,
        on: danchu::import::sample_reference_date(),
        code_prefix: "BS",
        first_number: 1,
        cccd_serial_base: 500_000,
    })
}

async fn upload_and_run(app: &TestApp, c: &Client, commune: i64, name: &str, data: &[u8], idem: &str) -> (String, crate::harness::Resp) {
    let csrf = c.csrf().await;
    let r = c.upload(&format!("/admin/units/{commune}/imports"), &csrf, idem, name, data).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    assert!(loc.starts_with("/admin/imports/"));
    let queued = c.get(&loc).await;
    assert!(queued.text.contains("http-equiv=\"refresh\""), "progress page refreshes while running");
    app.drain_jobs().await;
    let done = c.get(&loc).await;
    (loc, done)
}

both!(import_xlsx_then_reimport_changes_nothing, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let households = sample(&names, 60);
    let people: usize = households.iter().map(|h| h.members.len()).sum();
    let xlsx = write_sample_xlsx(&households);
    let (_, done) = upload_and_run(&app, &admin, commune, "ho-gia-dinh.xlsx", &xlsx, "i1").await;
    assert!(done.text.contains("data-status=\"done\""), "{}", done.text);
    assert!(done.text.contains("<b id=\"households-added\">60</b>"));
    let stats = danchu_store::units::get_with_stats(app.store(), commune).await.unwrap().stats;
    assert_eq!((stats.villages, stats.households, stats.people), (2, 60, people as i64));
    // The same file again: nothing changes.
    let (_, again) = upload_and_run(&app, &admin, commune, "ho-gia-dinh.xlsx", &xlsx, "i2").await;
    assert!(again.text.contains("<b id=\"households-added\">0</b>"), "{}", again.text);
    assert!(again.text.contains("<b id=\"households-unchanged\">60</b>"));
    let stats2 = danchu_store::units::get_with_stats(app.store(), commune).await.unwrap().stats;
    assert_eq!((stats2.households, stats2.people), (60, people as i64));
    // The roll-ups agree with a full recount.
    danchu_store::units::recount_all(app.store()).await.unwrap();
    let stats3 = danchu_store::units::get_with_stats(app.store(), commune).await.unwrap().stats;
    assert_eq!((stats3.villages, stats3.households, stats3.people), (2, 60, people as i64));
    // The village's household list and a household page, CCCD masked.
    let v = app.unit_id("14812.001").await;
    let list = admin.get(&format!("/admin/units/{v}/households")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.text.contains("class=\"badge\""), "imported households are real, not demo data");
    let h = households.iter().find(|h| h.village == names[0]).unwrap();
    assert!(list.text.contains(&h.code));
    let id =
        danchu_store::households::list_by_village(app.store(), v, 0, 100).await.unwrap().into_iter().find(|r| r.code == h.code).unwrap().id;
    let page = admin.get(&format!("/admin/households/{id}")).await;
    assert!(page.text.contains(&h.members[0].full_name));
    for m in &h.members {
        if let Some(c) = &m.cccd {
            assert!(!page.text.contains(c.as_str()), "full CCCD shown");
            assert!(page.text.contains(&format!("********{}", &c[8..])));
        }
    }
});

both!(citizen_ids_are_stored_only_as_keyed_hashes, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let households = sample(&names, 20);
    let (_, done) = upload_and_run(&app, &admin, commune, "a.csv", &write_sample_csv(&households), "c1").await;
    assert!(done.text.contains("data-status=\"done\""), "{}", done.text);
    let ids: Vec<&String> = households.iter().flat_map(|h| h.members.iter().filter_map(|m| m.cccd.as_ref())).collect();
    assert!(!ids.is_empty());
    for id in ids {
        assert_eq!(danchu_store::households::count_people_with_text(app.store(), id).await.unwrap(), 0, "CCCD {id} stored in clear");
    }
    if app.backend == danchu_store::Backend::Sqlite {
        app.store().execute_admin("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
        let bytes = std::fs::read(app.dir.0.join("danchu.sqlite3")).unwrap();
        for h in &households {
            for m in &h.members {
                if let Some(c) = &m.cccd {
                    assert!(!bytes.windows(12).any(|w| w == c.as_bytes()), "CCCD found in the database file");
                }
            }
        }
    }
});

both!(a_file_with_bad_rows_imports_nothing_and_names_every_row, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let households = sample(&names, 10);
    let csv = String::from_utf8(write_sample_csv(&households)).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // Row 3: a CCCD of 11 digits; row 5: an unknown village; row 7: no name.
    let cols: Vec<&str> = lines[0].split(',').collect();
    let ci = cols.iter().position(|c| c.contains("CCCD")).unwrap();
    let vi = cols.iter().position(|c| c.starts_with("Thôn")).unwrap();
    let ni = cols.iter().position(|c| c.contains("Họ và tên")).unwrap();
    let mut edit = |row: usize, col: usize, val: &str| {
        let mut cells: Vec<String> = lines[row - 1].split(',').map(str::to_string).collect();
        cells[col] = val.to_string();
        lines[row - 1] = cells.join(",");
    };
    edit(3, ci, "03808501234x");
    edit(5, vi, "Thôn Không Có");
    edit(7, ni, "");
    let bad = lines.join("\n") + "\n";
    let (_, done) = upload_and_run(&app, &admin, commune, "sai.csv", bad.as_bytes(), "b1").await;
    assert!(done.text.contains("data-status=\"rejected\""), "{}", done.text);
    for row in ["Dòng 3", "Dòng 5", "Dòng 7"] {
        assert!(done.text.contains(row), "missing {row}: {}", done.text);
    }
    let stats = danchu_store::units::get_with_stats(app.store(), commune).await.unwrap().stats;
    assert_eq!(stats.households, 0, "nothing imported");
    assert_eq!(danchu_store::households::count_at(app.store(), app.unit_id("14812.001").await, "2100-01-01").await.unwrap(), 0);
});

both!(files_that_are_not_spreadsheets_are_refused_at_upload, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, _) = bim_son(&app, &admin).await;
    let csrf = admin.csrf().await;
    for (name, data) in [
        ("danh-sach.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00".to_vec()),
        ("zip.xlsx", b"PK\x03\x04\x14\x00not-a-workbook".to_vec()),
        ("empty.csv", vec![]),
    ] {
        let r = admin.upload(&format!("/admin/units/{commune}/imports"), &csrf, &format!("x-{name}"), name, &data).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.text.contains("class=\"msg err\""), "{name}: {}", r.text);
    }
    assert!(danchu_store::imports::recent_for(app.store(), commune, 10).await.unwrap().is_empty());
});

both!(a_double_submitted_upload_creates_one_import, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let csv = write_sample_csv(&sample(&names, 3));
    let csrf = admin.csrf().await;
    let a = admin.upload(&format!("/admin/units/{commune}/imports"), &csrf, "same-key", "a.csv", &csv).await;
    let b = admin.upload(&format!("/admin/units/{commune}/imports"), &csrf, "same-key", "a.csv", &csv).await;
    assert_eq!(a.location(), b.location());
    assert_eq!(danchu_store::imports::recent_for(app.store(), commune, 10).await.unwrap().len(), 1);
});

both!(c0_4_household_count_at_a_date_is_derivable, |app| {
    let v = app.unit_id("14797.001").await;
    let today = danchu::web::chrome::today_vn();
    let n_today = danchu_store::households::count_at(app.store(), v, &today.to_string()).await.unwrap();
    let rollup = danchu_store::units::get_with_stats(app.store(), v).await.unwrap().stats.households;
    assert!(n_today > 0);
    assert_eq!(n_today, rollup);
    let yesterday = today.pred_opt().unwrap().to_string();
    assert_eq!(danchu_store::households::count_at(app.store(), v, &yesterday).await.unwrap(), 0);
});

both!(a_citizen_id_registered_in_another_household_is_refused_with_its_row, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let first = sample(&names, 5);
    let (_, done) = upload_and_run(&app, &admin, commune, "a.csv", &write_sample_csv(&first), "d1").await;
    assert!(done.text.contains("data-status=\"done\""), "{}", done.text);
    // A second file for another household code that reuses a registered CCCD.
    let mut second = sample(&names, 1);
    second[0].code = "BSX00001".into();
    let taken = first.iter().flat_map(|h| h.members.iter()).find(|m| m.cccd.is_some()).unwrap().clone();
    second[0].members[0].cccd = taken.cccd.clone();
    second[0].members[0].birth_date = taken.birth_date;
    let (_, rejected) = upload_and_run(&app, &admin, commune, "b.csv", &write_sample_csv(&second), "d2").await;
    assert!(rejected.text.contains("data-status=\"rejected\""), "{}", rejected.text);
    assert!(rejected.text.contains("Dòng 2"), "row named: {}", rejected.text);
    assert!(rejected.text.contains("đã được đăng ký"), "{}", rejected.text);
    let stats = danchu_store::units::get_with_stats(app.store(), commune).await.unwrap().stats;
    assert_eq!(stats.households, 5);
});

both!(c0_3_reimport_moves_the_representative_and_keeps_one_per_household, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let mut households = sample(&names, 8);
    let (_, done) = upload_and_run(&app, &admin, commune, "a.csv", &write_sample_csv(&households), "r1").await;
    assert!(done.text.contains("data-status=\"done\""), "{}", done.text);
    // Pick a household with two adults and make the other one the representative.
    let on = danchu::import::sample_reference_date();
    let adult = |m: &danchu::import::SampleMember| danchu_domain::people::is_adult_on(m.birth_date, on);
    let hi = households.iter().position(|h| h.members.iter().filter(|m| adult(m)).count() >= 2).expect("a household with two adults");
    let h = &mut households[hi];
    let current = h.members.iter().position(|m| m.representative).unwrap_or(0);
    let other = h.members.iter().enumerate().position(|(i, m)| i != current && adult(m)).unwrap();
    for m in h.members.iter_mut() {
        m.representative = false;
    }
    h.members[other].representative = true;
    let new_rep = h.members[other].full_name.clone();
    let code = h.code.clone();
    let (_, again) = upload_and_run(&app, &admin, commune, "b.csv", &write_sample_csv(&households), "r2").await;
    assert!(again.text.contains("<b id=\"households-updated\">1</b>"), "{}", again.text);
    let village = households[hi].village.clone();
    let vid =
        danchu_store::units::children(app.store(), commune).await.unwrap().into_iter().find(|v| v.unit.name == village).unwrap().unit.id;
    let row =
        danchu_store::households::list_by_village(app.store(), vid, 0, 100).await.unwrap().into_iter().find(|r| r.code == code).unwrap();
    assert_eq!(row.representative.as_deref(), Some(new_rep.as_str()));
    let detail = danchu_store::households::detail(app.store(), row.id).await.unwrap();
    assert_eq!(detail.members.iter().filter(|m| m.is_representative).count(), 1);
});

both!(c0_4_a_village_head_adds_and_closes_households_and_counts_follow_the_dates, |app| {
    let head = app.signed_in("hacthanh.tdp1").await;
    let v1 = app.unit_id("14797.001").await;
    let v2 = app.unit_id("14797.002").await;
    let today = danchu::web::chrome::today_vn();
    let before = danchu_store::households::count_at(app.store(), v1, &today.to_string()).await.unwrap();
    let page = head.get(&format!("/admin/units/{v1}/households")).await;
    assert_eq!(page.text.matches("id=\"add-household\"").count(), 1, "one form");
    let csrf = page.input("csrf");
    let idem = page.input("idem");
    let fields = [
        ("csrf", csrf.as_str()),
        ("idem", idem.as_str()),
        ("code", "td1-moi"),
        ("address", "Số 5, Tổ dân phố 1"),
        ("full_name", "Lê Văn Mới"),
        ("birth_date", "02/09/1975"),
        ("cccd", "038075123456"),
        ("relation", "Chủ hộ"),
    ];
    let r = head.post_form(&format!("/admin/units/{v1}/households"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // A double click adds nothing more.
    let again = head.post_form(&format!("/admin/units/{v1}/households"), &fields).await;
    assert_eq!(again.location(), r.location());
    assert_eq!(danchu_store::households::count_at(app.store(), v1, &today.to_string()).await.unwrap(), before + 1);
    let list = head.get(&r.location()).await;
    assert!(list.text.contains("TD1-MOI") && list.text.contains("Lê Văn Mới"), "{}", list.text);
    // The same code or the same CCCD again is refused with a reason.
    let idem2 = list.input("idem");
    let dup = head
        .post_form(
            &format!("/admin/units/{v1}/households"),
            &[
                ("csrf", &csrf),
                ("idem", &idem2),
                ("code", "TD1-MOI"),
                ("address", "x"),
                ("full_name", "Lê Văn Khác"),
                ("birth_date", "03/09/1975"),
                ("cccd", "038075123456"),
                ("relation", "Chủ hộ"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.text.contains("Mã hộ này đã được dùng") && dup.text.contains("đã được đăng ký"), "{}", dup.text);
    // A minor cannot represent a household.
    let minor = head
        .post_form(
            &format!("/admin/units/{v1}/households"),
            &[
                ("csrf", &csrf),
                ("idem", "m-1"),
                ("code", "TD1-TRE"),
                ("address", "x"),
                ("full_name", "Lê Văn Trẻ"),
                ("birth_date", &format!("01/01/{}", chrono::Datelike::year(&today) - 10)),
                ("relation", "Chủ hộ"),
            ],
        )
        .await;
    assert_eq!(minor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(minor.text.contains("người thành niên"));
    // Not in another village.
    let other = head
        .post_form(
            &format!("/admin/units/{v2}/households"),
            &[
                ("csrf", &csrf),
                ("idem", "o-1"),
                ("code", "X1"),
                ("address", "x"),
                ("full_name", "Lê X"),
                ("birth_date", "01/01/1970"),
                ("relation", "Chủ hộ"),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // A future date is refused; closing today removes it from today's count.
    let id = danchu_store::households::list_by_village(app.store(), v1, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.code == "TD1-MOI")
        .unwrap()
        .id;
    let tomorrow = today.succ_opt().unwrap();
    let f = head
        .post_form(&format!("/admin/households/{id}/close"), &[("csrf", &csrf), ("date", &tomorrow.format("%d/%m/%Y").to_string())])
        .await;
    assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c =
        head.post_form(&format!("/admin/households/{id}/close"), &[("csrf", &csrf), ("date", &today.format("%d/%m/%Y").to_string())]).await;
    assert_eq!(c.status, StatusCode::SEE_OTHER, "{}", c.text);
    assert_eq!(danchu_store::households::count_at(app.store(), v1, &today.to_string()).await.unwrap(), before);
    let shown = head.get(&c.location()).await;
    assert!(shown.text.contains("Không còn trong danh sách từ ngày"), "{}", shown.text);
    let stats = danchu_store::units::get_with_stats(app.store(), v1).await.unwrap().stats;
    assert_eq!(stats.households, before, "the roll-up shows the registry without the closed household");
    danchu_store::units::recount_all(app.store()).await.unwrap();
    assert_eq!(danchu_store::units::get_with_stats(app.store(), v1).await.unwrap().stats.households, before);
    assert!(danchu_store::audit::verify(app.store()).await.unwrap().is_ok());
});

both!(c0_4_a_household_that_moves_village_leaves_past_counts_unchanged, |app| {
    let admin = app.signed_in("quantri").await;
    let (commune, names) = bim_son(&app, &admin).await;
    let mut households = sample(&names, 10);
    let (_, done) = upload_and_run(&app, &admin, commune, "a.csv", &write_sample_csv(&households), "mv1").await;
    assert!(done.text.contains("data-status=\"done\""), "{}", done.text);
    // Pretend the registry was imported at the start of the year.
    app.store().execute_admin("UPDATE household_villages SET valid_from = '2026-01-01'").await.unwrap();
    app.store().execute_admin("UPDATE households SET valid_from = '2026-01-01'").await.unwrap();
    let kids = danchu_store::units::children(app.store(), commune).await.unwrap();
    let id_of = |name: &str| kids.iter().find(|v| v.unit.name == name).unwrap().unit.id;
    let (a, b) = (id_of(&names[0]), id_of(&names[1]));
    let past = "2026-06-01";
    let today = danchu::web::chrome::today_vn().to_string();
    let (a_past, b_past) = (
        danchu_store::households::count_at(app.store(), a, past).await.unwrap(),
        danchu_store::households::count_at(app.store(), b, past).await.unwrap(),
    );
    let mover = households.iter_mut().find(|h| h.village == names[0]).unwrap();
    mover.village = names[1].clone();
    let (_, moved) = upload_and_run(&app, &admin, commune, "b.csv", &write_sample_csv(&households), "mv2").await;
    assert!(moved.text.contains("<b id=\"households-updated\">1</b>"), "{}", moved.text);
    assert_eq!(danchu_store::households::count_at(app.store(), a, past).await.unwrap(), a_past, "the past count of the village left");
    assert_eq!(danchu_store::households::count_at(app.store(), b, past).await.unwrap(), b_past, "the past count of the village joined");
    assert_eq!(danchu_store::households::count_at(app.store(), a, &today).await.unwrap(), a_past - 1);
    assert_eq!(danchu_store::households::count_at(app.store(), b, &today).await.unwrap(), b_past + 1);
    let sa = danchu_store::units::get_with_stats(app.store(), a).await.unwrap().stats.households;
    assert_eq!(sa, a_past - 1, "the roll-up follows the move");
});
