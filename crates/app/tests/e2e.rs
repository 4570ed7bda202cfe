//! End-to-end tests in real headless Chromium (Debian's chromium and
//! chromium-driver), driven with fantoccini, against the real server on a
//! TCP port with its job worker and page-cache poller, on SQLite and on
//! PostgreSQL (`*_sqlite`, `*_postgres`; PostgreSQL needs
//! DANCHU_TEST_PG_URL, set by ./scripts/test). Every page of the journey is
//! checked with axe-core (DANCHU_AXE_JS, installed by ./scripts/test):
//! serious and critical violations fail the test.
//!
//! Run: `source scripts/pg-test.sh && danchu_pg_start && export
//! DANCHU_AXE_JS=$PWD/tests/e2e/node_modules/axe-core/axe.min.js && cargo
//! nextest run -p danchu --test e2e`. The screenshot of a ward's page at
//! 360 px lands in target/e2e-commune-360.png.
//!
//! Needs the dev-dependency `hyper-util = { version = "0.1.21",
//! default-features = false, features = ["client-legacy", "http1", "tokio"] }`
//! in crates/app/Cargo.toml: fantoccini's plain-HTTP connector (no TLS
//! feature); no new crate, it is already built for fantoccini and axum.

#[path = "it/harness.rs"]
#[allow(dead_code)]
mod harness;

#[path = "e2e_support/mod.rs"]
mod support;

use danchu::import::{sample_households_with, sample_reference_date, write_sample_xlsx, SampleSpec};
use danchu_store::Backend;
use fantoccini::Locator;
use std::future::Future;
use std::time::Duration;
use support::a11y::Axe;
use support::browser::{Browser, Options};
use support::server::LiveServer;
use support::steps::Steps;
use support::{poll_until, workspace_dir};

/// Phường Hạc Thành, the demo ward the tests work in.
const COMMUNE_CODE: &str = "14797";
const COMMUNE_NAME: &str = "Phường Hạc Thành";
const OFFICIAL: &str = "hacthanh.canbo";
const OFFICIAL_NAME: &str = "Nguyễn Văn Cán";
/// The width of a small phone, in CSS pixels.
const PHONE_WIDTH: u64 = 360;
/// The distinctive sentence of the disclosure's attachment, and a search
/// for it typed without diacritics: none of its words is in the item's
/// title or text, only in the attached file.
const ATTACHMENT_SENTENCE: &str = "Mức đóng góp của mỗi hộ gia đình là 20.000 đồng";
const ATTACHMENT_QUERY: &str = "muc dong gop moi ho gia dinh";
/// Households in the imported file.
const IMPORTED: u64 = 25;
/// The label of the household statistic (`<ul class="stats">`).
const STAT_HOUSEHOLDS: &str = "hộ gia đình";

/// One test per backend: `$sqlite` and `$postgres` run `$body(backend)`.
macro_rules! on_both_backends {
    ($body:ident => $sqlite:ident, $postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            within_time_limit(stringify!($sqlite), $body(Backend::Sqlite)).await
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            within_time_limit(stringify!($postgres), $body(Backend::Postgres)).await
        }
    };
}

on_both_backends!(journey => journey_sqlite, journey_postgres);
on_both_backends!(journey_disclosure => journey_disclosure_sqlite, journey_disclosure_postgres);
on_both_backends!(journey_consultation => journey_consultation_sqlite, journey_consultation_postgres);
// Small, but on both backends too: ./scripts/test requires as many passing
// `_sqlite` tests as `_postgres` ones.
on_both_backends!(without_javascript => without_javascript_sqlite, without_javascript_postgres);

/// Fails a test that takes more than three minutes (its browser and server
/// are dropped, hence stopped, with it).
async fn within_time_limit(name: &str, test: impl Future<Output = ()>) {
    let start = std::time::Instant::now();
    if tokio::time::timeout(Duration::from_secs(180), test).await.is_err() {
        panic!("{name} took more than 180 s");
    }
    println!("{name}: {:.1} s", start.elapsed().as_secs_f64());
}

/// Opens the ward's public page and reads its household total.
async fn households_on_public_page(b: &Browser) -> u64 {
    b.open(&format!("/units/{COMMUNE_CODE}")).await;
    b.xpath(&format!("//h1[contains(., '{COMMUNE_NAME}')]")).await;
    b.stat(STAT_HOUSEHOLDS).await
}

/// A visitor, then the ward's official, on a 360 px phone: search the ward,
/// sign in, import 25 households from an XLSX file (run by the background
/// worker), see the counts, sign out. axe-core checks every page; no page
/// scrolls sideways.
async fn journey(backend: Backend) {
    let s = Steps::new("journey");
    let server = LiveServer::start(backend).await;
    let commune_id = server.app.unit_id(COMMUNE_CODE).await;
    let b = Browser::start(&server.base, Options::default()).await;
    let mut axe = Axe::load();
    s.step(&format!("server at {} ({}), Chromium started", server.base, backend.name()));

    // The checks themselves can fail.
    axe.self_test(&b).await;
    b.client
        .goto(r#"data:text/html;charset=utf-8,<meta name=viewport content="width=device-width"><div style="width:600px">x</div>"#)
        .await
        .expect("open the layout self-test page");
    let wide = b.layout(PHONE_WIDTH).await;
    assert!(wide.scroll_width > PHONE_WIDTH && !wide.too_wide.is_empty(), "the layout probe misses a 600 px block: {wide:?}");

    // 1. The province's home page, clearly marked as demo data.
    s.step("home page");
    b.open("/").await;
    assert_eq!(b.text("h1").await, "Tỉnh Thanh Hóa");
    let banner = b.text("main p.demo").await;
    assert!(banner.contains("DỮ LIỆU MẪU"), "demo banner: {banner:?}");
    axe.check(&b, "home").await;
    b.assert_fits(PHONE_WIDTH, "home").await;

    // 2. Search the ward without diacritics; follow the result.
    s.step("search");
    b.fill("main form[role=search] input[name=q]", "hac thanh").await;
    let search = b.css("main form[role=search] button[type=submit]").await;
    b.click(&search, "the search button").await;
    b.wait_path("/communes").await;
    let hit = b.css(&format!("main table a[href='/units/{COMMUNE_CODE}']")).await;
    assert_eq!(hit.text().await.expect("link text"), COMMUNE_NAME);
    axe.check(&b, "commune search").await;
    b.assert_fits(PHONE_WIDTH, "commune search").await;
    b.click(&hit, "the search result").await;
    b.wait_path(&format!("/units/{COMMUNE_CODE}")).await;
    assert!(b.text("h1").await.contains(COMMUNE_NAME));
    b.xpath("//main//table//a[normalize-space()='Tổ dân phố 1']").await;
    let households_before = b.stat(STAT_HOUSEHOLDS).await;
    axe.check(&b, "commune page").await;
    b.assert_fits(PHONE_WIDTH, "commune page").await;
    b.screenshot_to(&workspace_dir().join("target/e2e-commune-360.png")).await;

    // 3. Sign in as the ward's official.
    s.step("sign in");
    let login = b.xpath("//header//a[normalize-space()='Đăng nhập']").await;
    b.click(&login, "Đăng nhập").await;
    b.wait_path("/login").await;
    axe.check(&b, "login").await;
    b.assert_fits(PHONE_WIDTH, "login").await;
    b.fill("#username", OFFICIAL).await;
    b.fill("#password", danchu::demo::DEMO_PASSWORD).await;
    let submit = b.css("main form[action='/login'] button[type=submit]").await;
    b.click(&submit, "the sign-in button").await;
    b.wait_path("/dashboard").await;
    let hello = b.text("h1").await;
    assert!(hello.contains(OFFICIAL_NAME), "dashboard greeting: {hello:?}");
    axe.check(&b, "dashboard").await;
    b.assert_fits(PHONE_WIDTH, "dashboard").await;

    // 4. Import households from an XLSX file through the import page.
    s.step("import page");
    let manage = b.css(&format!("main a[href='/admin/units/{commune_id}']")).await;
    b.click(&manage, "the ward's management link").await;
    b.wait_path(&format!("/admin/units/{commune_id}")).await;
    axe.check(&b, "ward management").await;
    b.assert_fits(PHONE_WIDTH, "ward management").await;
    let import_link = b.css(&format!("main a[href='/admin/units/{commune_id}/imports']")).await;
    b.click(&import_link, "the import link").await;
    b.wait_path(&format!("/admin/units/{commune_id}/imports")).await;
    axe.check(&b, "import form").await;
    b.assert_fits(PHONE_WIDTH, "import form").await;

    let villages = ["Tổ dân phố 1".to_string(), "Tổ dân phố 2".to_string()];
    let file = server.app.dir.0.join("ho-gia-dinh-e2e.xlsx");
    let xlsx = write_sample_xlsx(&sample_households_with(&SampleSpec {
        village_names: &villages,
        households: IMPORTED as usize,
        seed: 5,
        on: sample_reference_date(),
        code_prefix: "EE",
        first_number: 1,
        cccd_serial_base: 900_000,
    }));
    std::fs::write(&file, xlsx).expect("write the XLSX file");
    let input = b.css("#file").await;
    input.send_keys(&file.display().to_string()).await.expect("choose the file");
    let upload = b.css("main form[enctype='multipart/form-data'] button[type=submit]").await;
    b.click(&upload, "the upload button").await;
    poll_until("the import's page", Duration::from_secs(10), || async {
        let p = b.path().await;
        if p.starts_with("/admin/imports/") {
            Ok(())
        } else {
            Err(format!("at {p}: {}", b.body_text().await))
        }
    })
    .await;
    s.step("waiting for the import");
    // The worker runs the import; meanwhile the page reloads itself every 2 s.
    let status = poll_until("the import to finish", Duration::from_secs(30), || async {
        let status = match b.client.find(Locator::Id("import-status")).await {
            Ok(e) => e.attr("data-status").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(), // between two reloads
        };
        match status.as_str() {
            "done" | "rejected" | "failed" => Ok(status),
            _ => Err(format!("status {status:?}")),
        }
    })
    .await;
    assert_eq!(status, "done", "the import ended {status}:\n{}", b.body_text().await);
    assert_eq!(b.text("#households-added").await, IMPORTED.to_string(), "households added");
    axe.check(&b, "import result").await;
    b.assert_fits(PHONE_WIDTH, "import result").await;

    // 5. The ward's public page counts the new households.
    s.step("public page after the import");
    let after = households_on_public_page(&b).await;
    assert_eq!(after, households_before + IMPORTED, "households on the public page, signed in");

    // 6. Sign out; the dashboard asks to sign in again.
    s.step("sign out");
    let logout = b.xpath("//header//button[normalize-space()='Đăng xuất']").await;
    b.click(&logout, "Đăng xuất").await;
    b.xpath("//header//a[normalize-space()='Đăng nhập']").await;
    b.open("/dashboard").await;
    b.wait_path("/login").await;
    b.css("#username").await;

    // Anonymous visitors get the page cache, filled before the import: the
    // import's commit must have dropped it (within the poll interval, 1 s).
    s.step("anonymous public page after the import");
    poll_until("the new households on the public page for visitors", Duration::from_secs(10), || async {
        let n = households_on_public_page(&b).await;
        if n == households_before + IMPORTED {
            Ok(())
        } else {
            Err(format!("{n} households, expected {}", households_before + IMPORTED))
        }
    })
    .await;
    b.assert_fits(PHONE_WIDTH, "commune page after the import").await;

    s.step(&format!("axe checked {} pages: {}", axe.pages.len(), axe.pages.join(", ")));
    b.close().await;
    server.stop().await;
    axe.assert_clean();
}

/// The ward's official publishes a disclosure with a DOCX attachment
/// through the form; then a visitor finds it by a phrase of the
/// attachment typed without diacritics, opens it, and sees it in the
/// ward's RSS and JSON feeds. axe-core checks the form, the results and
/// the item page.
async fn journey_disclosure(backend: Backend) {
    let s = Steps::new("journey_disclosure");
    let server = LiveServer::start(backend).await;
    let commune_id = server.app.unit_id(COMMUNE_CODE).await;
    let b = Browser::start(&server.base, Options::default()).await;
    let mut axe = Axe::load();
    s.step(&format!("server at {} ({}), Chromium started", server.base, backend.name()));

    // 1. Sign in; from the dashboard to the ward's disclosures, then the form.
    s.step("sign in");
    b.sign_in(OFFICIAL, danchu::demo::DEMO_PASSWORD).await;
    let manage = b.css(&format!("main a[href='/admin/units/{commune_id}']")).await;
    b.click(&manage, "the ward's management link").await;
    b.wait_path(&format!("/admin/units/{commune_id}")).await;
    let disclosures =
        b.xpath(&format!("//main//a[@href='/admin/units/{commune_id}/disclosures'][normalize-space()='Công khai thông tin']")).await;
    b.click(&disclosures, "Công khai thông tin").await;
    b.wait_path(&format!("/admin/units/{commune_id}/disclosures")).await;
    axe.check(&b, "ward disclosures").await;
    let new = b.css(&format!("main a[href='/admin/units/{commune_id}/disclosures/new']")).await;
    b.click(&new, "the publish link").await;
    b.wait_path(&format!("/admin/units/{commune_id}/disclosures/new")).await;
    axe.check(&b, "disclosure form").await;
    b.assert_fits(PHONE_WIDTH, "disclosure form").await;

    // 2. Fill the form, attach a real DOCX, publish.
    s.step("publish");
    let title = "Công khai quỹ phòng, chống thiên tai năm 2026";
    let body = "Ủy ban nhân dân phường công khai kế hoạch thu, chi Quỹ phòng, chống thiên tai năm 2026. Chi tiết xem tệp kèm theo.";
    let searchable = danchu_domain::text::fold(&format!("{title} {body}"));
    for word in ATTACHMENT_QUERY.split(' ') {
        assert!(
            !searchable.split(|c: char| !c.is_alphanumeric()).any(|w| w == word),
            "'{word}' is in the title or text: the search must match only the attachment"
        );
    }
    let docx = danchu_docs::to_docx(&danchu_docs::Document {
        issuer: "ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH".into(),
        kind_title: "THÔNG BÁO".into(),
        blocks: vec![danchu_docs::Block::Paragraph(ATTACHMENT_SENTENCE.into())],
        ..Default::default()
    })
    .expect("render the DOCX");
    let file_name = "thong-bao-quy-phong-chong-thien-tai.docx";
    let file = server.app.dir.0.join(file_name);
    std::fs::write(&file, &docx).expect("write the DOCX file");
    let yesterday = danchu::web::chrome::today_vn() - chrono::Days::new(1);
    b.select("#category", "xa-05").await;
    b.fill("#title", title).await;
    b.fill("#decision_date", &yesterday.format("%d/%m/%Y").to_string()).await;
    b.fill("#body", body).await;
    b.css("#files").await.send_keys(&file.display().to_string()).await.expect("choose the file");
    let publish = b.css(&format!("main form[action='/admin/units/{commune_id}/disclosures'] button[type=submit]")).await;
    b.click(&publish, "the publish button").await;
    let admin_path = b.wait_path_prefix("/admin/disclosures/").await;
    let id: i64 = admin_path["/admin/disclosures/".len()..].parse().unwrap_or_else(|_| panic!("an item id in {admin_path}"));
    assert_eq!(b.text("h1").await, title);
    b.css("main p.msg.ok[role=status]").await;
    axe.check(&b, "published item (management)").await;

    // 3. A visitor (signed out) searches without diacritics for words that
    // are only in the attachment.
    s.step("sign out");
    b.sign_out().await;
    s.step("search the attachment's text");
    b.open("/search").await;
    b.fill("main form[action='/search'] input[name=q]", ATTACHMENT_QUERY).await;
    let search = b.css("main form[action='/search'] button[type=submit]").await;
    b.click(&search, "the search button").await;
    b.wait_path("/search").await;
    let hit = b.css(&format!("main ol.hits a[href='/disclosures/{id}']")).await;
    assert_eq!(hit.text().await.expect("hit text"), title);
    axe.check(&b, "disclosure search").await;
    b.assert_fits(PHONE_WIDTH, "disclosure search").await;

    // The match is highlighted: the same search with two words of the
    // title marks them in the result.
    s.step("highlighted result");
    b.fill("main form[action='/search'] input[name=q]", &format!("thien tai {ATTACHMENT_QUERY}")).await;
    let search = b.css("main form[action='/search'] button[type=submit]").await;
    b.click(&search, "the search button").await;
    let marked = b.css(&format!("main ol.hits a[href='/disclosures/{id}'] mark")).await;
    assert_eq!(danchu_domain::text::fold(&marked.text().await.expect("marked text")), "thien");
    let hit = b.css(&format!("main ol.hits a[href='/disclosures/{id}']")).await;
    let html = hit.html(true).await.expect("hit HTML");
    assert!(html.contains("<mark>thiên</mark>") && html.contains("<mark>tai</mark>"), "highlight in the result: {html}");
    axe.check(&b, "disclosure search, highlighted").await;

    // 4. The item's public page and its attachment.
    s.step("item page");
    b.click(&hit, "the search result").await;
    b.wait_path(&format!("/disclosures/{id}")).await;
    assert_eq!(b.text("main article h1").await, title);
    let link =
        b.xpath(&format!("//main//article//a[starts-with(@href, '/disclosures/{id}/files/')][normalize-space()='{file_name}']")).await;
    let href = link.attr("href").await.expect("href").expect("the attachment's href");
    axe.check(&b, "disclosure page").await;
    b.assert_fits(PHONE_WIDTH, "disclosure page").await;
    let got = b.fetch(&href).await;
    assert_eq!((got.status, got.length), (200, docx.len() as u64), "the attachment {href} ({})", got.content_type);

    // 5. The ward's feeds list the item.
    s.step("feeds");
    b.open(&format!("/feeds/{COMMUNE_CODE}.rss")).await;
    // Chromium shows the feed's XML as text.
    let rss = b.text("body").await;
    assert!(rss.starts_with("<?xml") && rss.contains("<rss version=\"2.0\""), "an RSS document:\n{rss}");
    let entry = rss.split("<item>").skip(1).find(|e| e.contains(&format!("/disclosures/{id}</link>")));
    assert!(
        entry.is_some_and(|e| e.contains(&format!("<title>{title}</title>"))),
        "the item's link /disclosures/{id} and title in the RSS feed:\n{rss}"
    );
    b.open(&format!("/units/{COMMUNE_CODE}/disclosures")).await;
    let got = b.fetch(&format!("/feeds/{COMMUNE_CODE}.json")).await;
    assert_eq!(got.status, 200, "JSON feed: {}", got.text);
    let feed: serde_json::Value = serde_json::from_str(&got.text).unwrap_or_else(|e| panic!("JSON feed ({e}): {}", got.text));
    let items = feed["items"].as_array().expect("the JSON feed's items");
    assert!(
        items.iter().any(|i| i["url"].as_str().is_some_and(|u| u.ends_with(&format!("/disclosures/{id}"))) && i["title"] == title),
        "the item in the JSON feed:\n{}",
        got.text
    );

    s.step(&format!("axe checked {} pages: {}", axe.pages.len(), axe.pages.join(", ")));
    b.close().await;
    server.stop().await;
    axe.assert_clean();
}

/// Without JavaScript: sign in, add a village with the management page's
/// form, see it listed there and on the public page; publish a disclosure,
/// then, signed out, find it on the ward's disclosures page and through
/// the search (from that page and from /search).
async fn without_javascript(backend: Backend) {
    let s = Steps::new("without_javascript");
    let server = LiveServer::start(backend).await;
    let commune_id = server.app.unit_id(COMMUNE_CODE).await;
    let b = Browser::start(&server.base, Options { javascript: false, phone: false, ..Options::default() }).await;
    s.step(&format!("server at {} ({}), Chromium started without JavaScript", server.base, backend.name()));

    // JavaScript is really off in this browser.
    b.client.goto("data:text/html;charset=utf-8,<title>off</title><script>document.title='on'</script>").await.expect("open a data: page");
    assert_eq!(b.client.title().await.expect("title"), "off", "JavaScript should be disabled");

    s.step("sign in");
    b.sign_in(OFFICIAL, danchu::demo::DEMO_PASSWORD).await;
    assert!(b.text("h1").await.contains(OFFICIAL_NAME));

    s.step("add a village");
    b.open(&format!("/admin/units/{commune_id}")).await;
    let name = "Tổ dân phố Kiểm Thử";
    let listed = format!("//main//table//a[normalize-space()='{name}']");
    assert!(b.client.find(Locator::XPath(&listed)).await.is_err(), "{name} exists before the test");
    b.fill("#village-name", name).await;
    let add = b.css(&format!("main form[action='/admin/units/{commune_id}/villages'] button[type=submit]")).await;
    b.click(&add, "the add-village button").await;
    b.xpath(&listed).await;
    b.wait_path(&format!("/admin/units/{commune_id}")).await;

    s.step("public page");
    b.open(&format!("/units/{COMMUNE_CODE}")).await;
    b.xpath(&listed).await;

    s.step("publish a disclosure");
    b.open(&format!("/admin/units/{commune_id}/disclosures/new")).await;
    let title = "Thông báo lịch tiếp công dân tháng này";
    b.select("#category", "xa-05").await;
    b.fill("#title", title).await;
    b.fill("#decision_date", &danchu::web::chrome::today_vn().format("%d/%m/%Y").to_string()).await;
    b.fill("#body", "Chủ tịch Ủy ban nhân dân phường tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở.").await;
    let publish = b.css(&format!("main form[action='/admin/units/{commune_id}/disclosures'] button[type=submit]")).await;
    b.click(&publish, "the publish button").await;
    let admin_path = b.wait_path_prefix("/admin/disclosures/").await;
    let id: i64 = admin_path["/admin/disclosures/".len()..].parse().unwrap_or_else(|_| panic!("an item id in {admin_path}"));
    b.sign_out().await;

    s.step("public disclosures and search");
    b.open(&format!("/units/{COMMUNE_CODE}/disclosures")).await;
    assert!(b.text("h1").await.contains(COMMUNE_NAME));
    b.xpath(&format!("//main//ul[contains(@class, 'items')]//a[@href='/disclosures/{id}'][normalize-space()='{title}']")).await;
    // The list's own search, scoped to the ward.
    b.fill("main form[action='/search'] input[name=q]", "tiep cong dan sang thu nam").await;
    let search = b.css("main form[action='/search'] button[type=submit]").await;
    b.click(&search, "the list's search button").await;
    b.wait_path("/search").await;
    assert!(b.path().await.contains(&format!("don_vi={COMMUNE_CODE}")), "the list's search is scoped to the ward: {}", b.path().await);
    b.css(&format!("main ol.hits a[href='/disclosures/{id}'] mark")).await;
    // The search page itself.
    b.open("/search").await;
    b.fill("main form[action='/search'] input[name=q]", "lich tiep cong dan").await;
    let search = b.css("main form[action='/search'] button[type=submit]").await;
    b.click(&search, "the search button").await;
    let hit = b.css(&format!("main ol.hits a[href='/disclosures/{id}']")).await;
    b.click(&hit, "the search result").await;
    b.wait_path(&format!("/disclosures/{id}")).await;
    assert_eq!(b.text("main article h1").await, title);

    b.close().await;
    server.stop().await;
}

/// A consultation from opening to its published synthesis (issue 4), on a
/// 360 px phone: the ward's official creates it with its plan and a pasted
/// draft and publishes it; a visitor without an account finds it on the
/// home page with its days left, comments on Điều 1 and votes on a
/// statement; twenty days later (the dates are moved in the database: the
/// server's clock cannot be) the official answers the comment, records
/// that the decision follows the majority, and publishes the synthesis,
/// which becomes a public disclosure item with its PDF and DOCX.
async fn journey_consultation(backend: Backend) {
    let s = Steps::new("journey_consultation");
    let server = LiveServer::start(backend).await;
    let commune_id = server.app.unit_id(COMMUNE_CODE).await;
    let b = Browser::start(&server.base, Options::default()).await;
    let mut axe = Axe::load();
    s.step(&format!("server at {} ({}), Chromium started", server.base, backend.name()));

    s.step("create");
    b.sign_in(OFFICIAL, danchu::demo::DEMO_PASSWORD).await;
    b.open(&format!("/admin/units/{commune_id}/consultations")).await;
    let new = b.css(&format!("main a[href='/admin/units/{commune_id}/consultations/new']")).await;
    b.click(&new, "the new consultation link").await;
    b.wait_path(&format!("/admin/units/{commune_id}/consultations/new")).await;
    axe.check(&b, "new consultation form").await;
    b.assert_fits(PHONE_WIDTH, "new consultation form").await;
    let title = "Dự thảo Quy chế thực hiện dân chủ ở cơ sở phường Hạc Thành";
    let today = danchu::web::chrome::today_vn();
    b.select("#subject", "xa-7").await;
    b.fill("#title", title).await;
    b.fill("#summary", "Ủy ban nhân dân phường xin ý kiến Nhân dân về dự thảo quy chế.").await;
    b.select("#eligibility", "anyone").await;
    b.fill("#opens_on", &today.format("%d/%m/%Y").to_string()).await;
    b.fill("#closes_on", &(today + chrono::Days::new(20)).format("%d/%m/%Y").to_string()).await;
    b.fill("#plan_content", "Toàn văn dự thảo quy chế.").await;
    let online = b.css("input[name=plan_forms][value=online]").await;
    if !online.is_selected().await.unwrap_or(false) {
        b.click(&online, "the online form").await;
    }
    b.fill("#plan_method", "Đăng trên cổng thông tin, niêm yết tại nhà văn hóa các tổ dân phố.").await;
    b.fill("#plan_responsibilities", "Văn phòng HĐND và UBND phường tổng hợp.").await;
    b.fill(
        "#draft_text",
        "QUY CHẾ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc Nhân dân tham gia ý kiến.\nĐiều 2. Đối tượng áp dụng\nNhân dân cư trú trên địa bàn phường.",
    )
    .await;
    let create = b.css(&format!("main form[action='/admin/units/{commune_id}/consultations'] button[type=submit]")).await;
    b.click(&create, "the create button").await;
    let manage = b.wait_path_prefix("/admin/consultations/").await;
    let id: i64 = manage["/admin/consultations/".len()..].parse().unwrap_or_else(|_| panic!("a consultation id in {manage}"));
    axe.check(&b, "consultation management").await;

    s.step("publish");
    let publish = b.css(&format!("main form[action='/admin/consultations/{id}/publish'] button[type=submit]")).await;
    b.click(&publish, "the publish button").await;
    wait_done(&b, "published").await;
    b.css("main p.msg.ok[role=status]").await;
    let statement = "Nên họp tổ dân phố vào buổi tối để mọi người cùng dự.";
    b.fill("#st-body", statement).await;
    let add = b.css(&format!("main form[action='/admin/consultations/{id}/statements'] button[type=submit]")).await;
    b.click(&add, "the add-statement button").await;
    b.xpath(&format!("//main//*[contains(., '{statement}')]")).await;
    b.sign_out().await;

    s.step("a visitor comments on Điều 1");
    b.open("/").await;
    let link = b.css(&format!("main ul.cs-list a[href='/consultations/{id}']")).await;
    let row = b.xpath(&format!("//main//ul[contains(@class,'cs-list')]/li[a[@href='/consultations/{id}']]")).await;
    assert!(row.text().await.unwrap_or_default().contains("Còn 21 ngày"), "the days left on the home page");
    b.click(&link, "the consultation on the home page").await;
    b.wait_path(&format!("/consultations/{id}")).await;
    axe.check(&b, "consultation page").await;
    b.assert_fits(PHONE_WIDTH, "consultation page").await;
    let part = b.css(&format!("main a[href='/consultations/{id}/parts/d1']")).await;
    b.click(&part, "comment on Điều 1").await;
    b.wait_path(&format!("/consultations/{id}/parts/d1")).await;
    axe.check(&b, "article page with the comment form").await;
    b.assert_fits(PHONE_WIDTH, "article page").await;
    let opinion = "Đề nghị ghi rõ cả người tạm trú trên địa bàn phường.";
    b.fill("#body", opinion).await;
    b.fill("#display_name", "Bà Lan").await;
    let send = b.css(&format!("main form[action='/consultations/{id}/comments'] button[type=submit]")).await;
    b.click(&send, "the send button").await;
    b.css("main p.msg.ok[role=status]").await;
    b.xpath(&format!("//main//ol[contains(@class,'comments')]//p[contains(., '{opinion}')]")).await;
    b.xpath("//main//ol[contains(@class,'comments')]//b[normalize-space()='Bà Lan']").await;

    s.step("the visitor votes on the statement");
    b.open(&format!("/consultations/{id}/statements")).await;
    axe.check(&b, "statements").await;
    b.assert_fits(PHONE_WIDTH, "statements").await;
    let agree = b.css("main form.vote button[value=agree]").await;
    b.click(&agree, "Đồng ý").await;
    b.css("main form.vote button[value=agree][aria-pressed=true]").await;

    s.step("twenty days later");
    let opened = today - chrono::Days::new(21);
    let closed = today - chrono::Days::new(1);
    server
        .app
        .store()
        .execute_admin(&format!("UPDATE consultations SET opens_on = '{opened}', closes_on = '{closed}' WHERE id = {id}"))
        .await
        .expect("move the dates");
    b.sign_in(OFFICIAL, danchu::demo::DEMO_PASSWORD).await;
    b.open(&format!("/admin/consultations/{id}/responses")).await;
    axe.check(&b, "responses").await;
    let accepted = b.css("main form[action$='/respond'] input[name=kind][value=accepted]").await;
    b.click(&accepted, "Tiếp thu").await;
    b.fill("main form[action$='/respond'] textarea[name=text]", "Đã bổ sung người tạm trú vào Điều 1.").await;
    let respond = b.css("main form[action$='/respond'] button[type=submit]").await;
    b.click(&respond, "the respond button").await;
    b.css("main p.msg.ok[role=status]").await;
    b.open(&format!("/admin/consultations/{id}")).await;
    let follows = b.css(&format!("main form[action^='/admin/consultations/{id}/statements/'][action$='/decision'] input[value=yes]")).await;
    b.click(&follows, "follows the majority").await;
    let save = b.css(&format!("main form[action^='/admin/consultations/{id}/statements/'][action$='/decision'] button[type=submit]")).await;
    b.click(&save, "save the decision").await;
    b.css("main p.msg.ok[role=status]").await;

    s.step("publish the synthesis");
    b.open(&format!("/admin/consultations/{id}/synthesis")).await;
    axe.check(&b, "synthesis").await;
    b.fill("#signer", "Nguyễn Văn Chủ").await;
    let publish = b.css(&format!("main form[action='/admin/consultations/{id}/synthesis'] button[type=submit]")).await;
    b.click(&publish, "publish the synthesis").await;
    b.css("main p.msg.ok[role=status]").await;
    b.sign_out().await;

    s.step("the public sees the synthesis");
    b.open(&format!("/consultations/{id}")).await;
    assert!(b.text("main p.cs-phase").await.contains("Đã công bố kết quả tiếp thu, giải trình"));
    let report = b.xpath("//main//a[normalize-space()='Báo cáo tiếp thu, giải trình']").await;
    b.click(&report, "the synthesis report").await;
    let item = b.wait_path_prefix("/disclosures/").await;
    let files = b.client.find_all(Locator::Css("main article a[href*='/files/']")).await.expect("attachments");
    let mut names = Vec::new();
    for f in &files {
        names.push(f.text().await.unwrap_or_default());
    }
    assert!(names.iter().any(|n| n.ends_with(".pdf")) && names.iter().any(|n| n.ends_with(".docx")), "PDF and DOCX on {item}: {names:?}");
    b.open(&format!("/consultations/{id}/parts/d1")).await;
    b.xpath("//main//p[contains(@class,'response')][contains(., 'Đã bổ sung người tạm trú')]").await;

    s.step(&format!("axe checked {} pages: {}", axe.pages.len(), axe.pages.join(", ")));
    b.close().await;
    server.stop().await;
    axe.assert_clean();
}

on_both_backends!(journey_decision => journey_decision_sqlite, journey_decision_postgres);

/// The issue's "done when" for community decisions, on a 360 px phone: the
/// ward's official calls a village meeting on the convention (R2.9), its
/// attendance cannot reach the threshold (5 of about 40 households), the matter
/// falls back to paper household ballots (R2.12, R2.20); ballots are
/// issued, the counting team recorded with two witnesses, more than half
/// of the households' ballots entered (a ballot entered twice is refused, R2.13); the period ends,
/// the decision is closed and passes, is sent to the commune (R2.17) and
/// the commune chair recognises it (R2.18). axe-core checks every page.
async fn journey_decision(backend: Backend) {
    let s = Steps::new("journey_decision");
    let server = LiveServer::start(backend).await;
    let commune_id = server.app.unit_id(COMMUNE_CODE).await;
    let village_id = server.app.unit_id("14797.001").await;
    let b = Browser::start(&server.base, Options::default()).await;
    let mut axe = Axe::load();
    s.step(&format!("server at {} ({}), Chromium started", server.base, backend.name()));

    s.step("the official creates a village meeting on the convention");
    b.sign_in(OFFICIAL, danchu::demo::DEMO_PASSWORD).await;
    b.open(&format!("/admin/units/{commune_id}/decisions")).await;
    axe.check(&b, "decisions of the ward").await;
    b.assert_fits(PHONE_WIDTH, "decisions of the ward").await;
    b.select("#subject", "3").await;
    b.select("#village", &village_id.to_string()).await;
    b.fill("#title", "Sửa đổi hương ước Tổ dân phố 1").await;
    b.fill("#question", "Hộ gia đình có đồng ý sửa đổi hương ước không?").await;
    b.fill("#content", "Bổ sung quy định giữ gìn vệ sinh chung và giờ giấc sinh hoạt.").await;
    b.select("#form", "meeting").await;
    let front = b.css("input[name=agreed_front]").await;
    b.click(&front, "agreed with the Front").await;
    let create = b.css(&format!("main form[action='/admin/units/{commune_id}/decisions'] button[type=submit]")).await;
    b.click(&create, "the create button").await;
    wait_done(&b, "created").await;
    let manage = b.wait_path_prefix("/admin/decisions/").await;
    let id: i64 = manage["/admin/decisions/".len()..].parse().unwrap_or_else(|_| panic!("a decision id in {manage}"));
    b.css("main p.msg.ok[role=status]").await;
    axe.check(&b, "decision management (draft)").await;
    b.assert_fits(PHONE_WIDTH, "decision management").await;

    s.step("open, call the meeting two days ahead");
    let open = b.css(&format!("main form[action='/admin/decisions/{id}/open'] button[type=submit]")).await;
    b.click(&open, "open").await;
    wait_done(&b, "opened").await;
    let today = danchu::web::chrome::today_vn();
    b.fill("#held_on", &(today + chrono::Days::new(2)).format("%d/%m/%Y").to_string()).await;
    let loudspeaker = b.css("input[name=channels][value=loudspeaker]").await;
    b.click(&loudspeaker, "loudspeaker").await;
    b.fill("#secretary", "Bùi Thị Thư").await;
    let call = b.css(&format!("main form[action='/admin/decisions/{id}/meetings'] button[type=submit]")).await;
    b.click(&call, "record the notice").await;
    wait_done(&b, "meeting").await;

    s.step("attendance: 5 of about 40 households");
    let attendance = b.css(&format!("main a[href^='/admin/decisions/{id}/meetings/'][href$='/attendance']")).await;
    b.click(&attendance, "take attendance").await;
    b.css("main ul.dq-check").await;
    axe.check(&b, "attendance checklist").await;
    b.assert_fits(PHONE_WIDTH, "attendance checklist").await;
    let boxes = b.client.find_all(Locator::Css("main ul.dq-check input[type=checkbox]")).await.expect("checkboxes");
    let households = danchu_store::households::list_by_village(server.app.store(), village_id, 0, 10_000).await.expect("households").len();
    let required = households / 2 + 1;
    assert!(households >= 30 && boxes.len() == households, "a checkbox per household: {} of {households}", boxes.len());
    for cb in boxes.iter().take(5) {
        cb.click().await.expect("tick a household");
    }
    let save = b.css("main form[action$='/attendance'] button[type=submit]").await;
    b.click(&save, "record those present").await;
    wait_done(&b, "1").await;
    assert_eq!(b.text("main ul.stats li b").await, "5");

    s.step("the meeting cannot reach more than half of all households: fall back to paper ballots");
    b.open(&format!("/admin/decisions/{id}")).await;
    let why = b.text("main .dq-fallback p").await;
    assert!(why.contains("phát phiếu lấy ý kiến hộ gia đình") && why.contains(&format!("{required} hộ")), "{why}");
    let fb = b.css("main .dq-fallback button[type=submit]").await;
    b.click(&fb, "fall back").await;
    wait_done(&b, "fallback").await;
    let redo_path = b.wait_path_prefix("/admin/decisions/").await;
    let redo: i64 = redo_path["/admin/decisions/".len()..].parse().expect("the redo's id");
    assert_ne!(redo, id);
    b.xpath(&format!("//main//a[@href='/admin/decisions/{id}']")).await;
    axe.check(&b, "the household-ballot redo").await;

    s.step("open, issue the ballots, record the counting team");
    let open = b.css(&format!("main form[action='/admin/decisions/{redo}/open'] button[type=submit]")).await;
    b.click(&open, "open the ballot").await;
    wait_done(&b, "opened").await;
    let issue = b.css(&format!("main form[action='/admin/decisions/{redo}/villages/{village_id}/ballots'] button[type=submit]")).await;
    b.click(&issue, "issue the ballots").await;
    b.css(&format!("main a[href='/admin/decisions/{redo}/villages/{village_id}/ballots.pdf']")).await;
    b.fill(&format!("#tm-{village_id}"), "Lê Văn Một\nTrần Thị Hai\nPhạm Văn Ba").await;
    b.fill(&format!("#tw1-{village_id}"), "Hộ ông Đinh Văn Bốn").await;
    b.fill(&format!("#tw2-{village_id}"), "Hộ bà Ngô Thị Năm").await;
    let team = b.css(&format!("main form[action='/admin/decisions/{redo}/villages/{village_id}/teams'] button[type=submit]")).await;
    b.click(&team, "record the team").await;
    b.css("main p.dq-team").await;

    s.step("enter the counted ballots needed to pass; one entered twice is refused");
    let count = b.css(&format!("main a[href='/admin/decisions/{redo}/villages/{village_id}/count']")).await;
    b.click(&count, "enter counted ballots").await;
    b.css("main input#code[autofocus]").await;
    axe.check(&b, "tally entry").await;
    b.assert_fits(PHONE_WIDTH, "tally entry").await;
    let ballots = danchu_store::decisions::paper_ballots(server.app.store(), redo, village_id).await.expect("the issued ballots");
    assert_eq!(ballots.len(), households);
    for (i, ballot) in ballots.iter().take(required).enumerate() {
        b.fill("#code", &ballot.code).await;
        let enter = b.css("main form[action$='/count'] button[type=submit]").await;
        b.click(&enter, "record the ballot").await;
        b.xpath(&format!("//main//ul[contains(@class,'stats')]/li[1]/b[normalize-space()='{}']", i + 1)).await;
    }
    b.fill("#code", &ballots[0].code).await;
    let enter = b.css("main form[action$='/count'] button[type=submit]").await;
    b.click(&enter, "the same ballot again").await;
    let refusal = b.text("main p.msg.err[role=alert]").await;
    assert!(refusal.contains("đã được kiểm") && refusal.contains("R2.13"), "{refusal}");
    axe.check(&b, "tally entry with a refusal").await;

    s.step("the ballot period ends; close: passed");
    let past = danchu_store::now_ms() - 60_000;
    server
        .app
        .store()
        .execute_admin(&format!("UPDATE decisions SET closes_at = {past}, opens_at = {} WHERE id = {redo}", past - 3_600_000))
        .await
        .expect("end the period");
    b.open(&format!("/admin/decisions/{redo}")).await;
    let close = b.css(&format!("main form[action='/admin/decisions/{redo}/close'] button[type=submit]")).await;
    b.click(&close, "close").await;
    wait_done(&b, "closed").await;
    assert_eq!(b.text("main .dq-status").await, "Đã thông qua");
    assert!(b.text("main .dq-clock-send").await.contains("ngày làm việc"));
    axe.check(&b, "closed decision").await;

    s.step("sent to the commune within 5 working days");
    let send = b.css(&format!("main form[action='/admin/decisions/{redo}/send'] button[type=submit]")).await;
    b.click(&send, "record the sending").await;
    wait_done(&b, "sent").await;
    assert_eq!(b.text("main .dq-status").await, "Đã gửi UBND xã, UBMTTQ xã");
    assert!(b.text("main .dq-clock-send").await.starts_with("Đúng hạn"));
    b.sign_out().await;

    s.step("the commune chair recognises it");
    b.sign_in("hacthanh.chutich", danchu::demo::DEMO_PASSWORD).await;
    b.open(&format!("/admin/decisions/{redo}")).await;
    axe.check(&b, "recognition form").await;
    let answer = b.css(&format!("main form[action='/admin/decisions/{redo}/answer'] button[type=submit]")).await;
    b.click(&answer, "recognise").await;
    wait_done(&b, "answered").await;
    assert_eq!(b.text("main .dq-status").await, "Đã được công nhận");
    assert!(b.text("main .dq-clock-answer").await.starts_with("Đúng hạn"));
    b.assert_fits(PHONE_WIDTH, "recognised decision").await;

    s.step(&format!("axe checked {} pages: {}", axe.pages.len(), axe.pages.join(", ")));
    b.close().await;
    server.stop().await;
    axe.assert_clean();
}

/// Waits (10 s) until the page is the answer to a form: its query says
/// `done=<what>` (the previous page may show a notice too).
async fn wait_done(b: &Browser, what: &str) {
    let want = format!("done={what}");
    poll_until(&format!("the page after {want}"), Duration::from_secs(10), || async {
        let now = b.path().await;
        if now.split(['?', '&']).any(|p| p == want) {
            Ok(())
        } else {
            Err(format!("at {now}"))
        }
    })
    .await;
    b.css("main p.msg.ok[role=status]").await;
}
