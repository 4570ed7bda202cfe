//! Every UI string, in Vietnamese and English. Each key is declared once
//! with both texts, so a string missing in one language does not compile.
//! Parameterised strings use `{}` placeholders filled by [`fill`].

use danchu_domain::Lang;

macro_rules! messages {
    ($($key:ident: $vi:literal, $en:literal;)*) => {
        /// The UI strings of one language.
        #[derive(Debug)]
        pub struct Msgs { $(pub $key: &'static str,)* }
        pub static VI: Msgs = Msgs { $($key: $vi,)* };
        pub static EN: Msgs = Msgs { $($key: $en,)* };
    };
}

pub fn msgs(lang: Lang) -> &'static Msgs {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// Replaces each `{}` in `template` with the next argument.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut it = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(it.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

messages! {
    site_name: "Dân chủ ở cơ sở", "Grassroots democracy";
    site_tagline: "Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng", "People know, discuss, act, check, supervise and benefit";
    skip_to_content: "Bỏ qua, đến nội dung chính", "Skip to main content";
    nav_home: "Trang chủ", "Home";
    nav_communes: "Xã, phường", "Communes and wards";
    nav_dashboard: "Việc của tôi", "My work";
    nav_login: "Đăng nhập", "Sign in";
    nav_logout: "Đăng xuất", "Sign out";
    nav_account: "Tài khoản", "Account";
    nav_api: "API", "API";
    lang_switch: "English", "Tiếng Việt";
    lang_switch_code: "en", "vi";
    demo_banner: "DỮ LIỆU MẪU: các thôn, hộ gia đình và tài khoản trên trang này được tạo để dùng thử, không phải dữ liệu thật.", "DEMO DATA: the villages, households and accounts on this site were generated for trying the platform; they are not real.";
    demo_badge: "mẫu", "demo";
    footer_text: "Nền tảng thực hiện dân chủ ở cơ sở — Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15; Nghị quyết 53/2024/NQ-HĐND tỉnh Thanh Hóa.", "Grassroots democracy platform — Law 10/2022/QH15 on grassroots democracy; Thanh Hóa People's Council Resolution 53/2024/NQ-HĐND.";
    footer_data: "Danh mục đơn vị hành chính: Tổng cục Thống kê (qua gói vietnamadminunits, MIT).", "Administrative units: General Statistics Office (via the vietnamadminunits package, MIT).";

    // Disclosures: portal, search, feeds, officials' pages (issue 3).
    disclosures_title: "Công khai thông tin", "Public disclosures";
    disclosures_intro: "Các nội dung chính quyền, cơ quan, đơn vị phải công khai theo Luật Thực hiện dân chủ ở cơ sở, mới nhất ở trên.", "What the authorities and units must disclose under the Law on grassroots democracy, newest first.";
    disclosures_none: "Chưa có nội dung công khai nào.", "Nothing has been disclosed yet.";
    search_title: "Tìm nội dung công khai", "Search disclosures";
    search_disclosures_label: "Tìm trong nội dung công khai", "Search the disclosures";
    search_hint_disclosures: "Gõ có dấu hoặc không dấu, ví dụ: dan chu co so", "With or without accents, e.g. dan chu co so";
    search_none: "Không tìm thấy nội dung nào. Hãy thử ít từ hơn.", "Nothing found. Try fewer words.";
    filter_title: "Lọc theo lĩnh vực, thời gian", "Filter by category and date";
    filter_from: "Từ ngày", "From";
    filter_to: "Đến ngày", "To";
    filter_apply: "Lọc", "Filter";
    all_categories: "Tất cả lĩnh vực", "All categories";
    col_category: "Lĩnh vực", "Category";
    col_title: "Tiêu đề", "Title";
    col_audience: "Công khai cho", "Disclosed to";
    col_decision: "Văn bản", "Decision";
    col_published: "Ngày đăng", "Published";
    col_verdict: "Tình trạng", "Status";
    dated: "ngày", "dated";
    revised_badge: "đã sửa đổi", "revised";
    older_items: "Xem các nội dung cũ hơn", "Older items";
    follow_title: "Theo dõi", "Follow";
    follow_intro: "Nhận nội dung mới qua thư điện tử, hoặc đưa nguồn tin vào trang thông tin khác:", "Get new items by e-mail, or embed the feed in another site:";
    subscribe_email: "Nhận tin qua thư điện tử", "Get e-mail updates";
    subscribe_intro: "Nhập địa chỉ thư điện tử để nhận nội dung công khai mới của", "Enter your e-mail address to receive new disclosures of";
    subscribe_button: "Đăng ký", "Subscribe";
    subscribe_sent: "Đã gửi thư xác nhận. Hãy mở thư và bấm đường dẫn để bắt đầu nhận tin.", "A confirmation e-mail was sent. Open it and follow the link to start.";
    email_label: "Thư điện tử", "E-mail";
    subscription_title: "Đăng ký nhận tin", "Your subscription";
    subscription_confirm: "Xác nhận đăng ký", "Confirm";
    subscription_cancel: "Hủy đăng ký", "Unsubscribe";
    subscription_confirmed: "Đăng ký đã được xác nhận: bạn sẽ nhận nội dung mới qua thư.", "Confirmed: new items will reach you by e-mail.";
    subscription_cancelled: "Đã hủy đăng ký. Bạn sẽ không nhận thêm thư nào.", "Unsubscribed. You will get no more e-mail.";
    info_request_link: "Yêu cầu cung cấp thông tin", "Request information";
    item_withdrawn: "Nội dung này đã được gỡ khỏi trang công khai.", "This item was withdrawn from the public pages.";
    old_version_notice: "Bạn đang xem một lần công khai trước đây.", "You are reading an earlier version.";
    see_current: "Xem bản hiện hành", "See the current version";
    version_label: "Lần", "Version";
    current_label: "hiện hành", "current";
    attachments_title: "Tệp đính kèm", "Attachments";
    attachments_hint: "PDF, DOCX, XLSX, JPEG, PNG; mỗi tệp tối đa", "PDF, DOCX, XLSX, JPEG, PNG; each at most";
    compliance_title: "Việc công khai theo quy định", "Disclosure as the law requires";
    deadline_label: "Hạn công khai:", "Deadline:";
    missing_at: "Còn thiếu tại:", "Missing at:";
    versions_title: "Các lần công khai", "History";
    permalink_label: "Địa chỉ cố định:", "Permanent link:";
    manage_item: "Quản lý nội dung này", "Manage this item";
    compliance_rate: "tỷ lệ công khai đúng quy định", "disclosed as the law requires";
    compliance_explained: "Tỷ lệ tính trên các nội dung đã đến hạn: đúng quy định chia cho (đúng quy định + chậm + không đúng quy định). Nội dung còn trong hạn hoặc đang niêm yết chưa được tính.", "The rate counts items that are due: compliant divided by (compliant + late + not compliant). Items still within their deadline or being posted are not counted yet.";
    compliance_children: "Tình hình công khai các đơn vị", "Compliance of the units below";
    items_label: "nội dung", "items";
    verdict_compliant: "đúng quy định", "compliant";
    verdict_late: "chậm", "late";
    verdict_non_compliant: "không đúng quy định", "not compliant";
    verdict_open: "đang thực hiện hoặc còn hạn", "in progress or not yet due";
    withdrawn_badge: "đã gỡ", "withdrawn";
    internal_badge: "nội bộ", "internal";
    see_public_page: "Xem trang công khai", "See the public page";
    publish_new: "Đăng nội dung công khai", "Publish an item";
    publish_intro: "Nội dung được đăng ngay trên trang công khai; thời hạn và các hình thức công khai bắt buộc được tính tự động theo lĩnh vực và ngày ban hành.", "The item is published at once; its deadline and required forms are computed from its category and decision date.";
    publish_button: "Đăng công khai", "Publish";
    decision_number: "Số, ký hiệu văn bản", "Decision number";
    decision_date: "Ngày ban hành", "Decision date";
    signer_label: "Người ký", "Signed by";
    body_label: "Nội dung", "Text";
    sector_deadline_title: "Hạn theo luật chuyên ngành (nếu có)", "Deadline set by a sector law (if any)";
    sector_deadline: "Hạn công khai", "Deadline";
    sector_basis: "Căn cứ (điều, khoản, văn bản)", "Legal basis";
    documents_title: "Kế hoạch công khai và danh mục hằng quý", "Disclosure plan and quarterly list";
    document_kind: "Văn bản", "Document";
    document_plan: "Kế hoạch công khai thông tin năm", "Disclosure plan of the year";
    document_quarter: "Danh mục nội dung đã công khai trong quý", "List of the quarter's disclosures";
    document_report: "Báo cáo kết quả công khai năm (gửi HĐND, Mặt trận)", "Yearly disclosure report (to the council and the Front)";
    document_generate: "Lập và công khai (PDF, DOCX)", "Generate and publish (PDF, DOCX)";
    year_label: "Năm", "Year";
    quarter_label: "Quý (với danh mục)", "Quarter (for the list)";
    responsible_office: "Bộ phận chịu trách nhiệm", "Responsible office";
    settings_title: "Điều kiện của đơn vị", "What the unit has";
    has_portal: "Có cổng/trang thông tin điện tử", "Has an e-portal or website";
    has_loudspeaker: "Có hệ thống truyền thanh", "Has a loudspeaker system";
    has_internal_system: "Có hệ thống thông tin nội bộ", "Has an internal information system";
    exemptions_title: "Nội dung không công khai", "Exempt content";
    exemptions_intro: "Chỉ ghi nhận việc áp dụng ngoại lệ, căn cứ và người quyết định; không nhập nội dung bí mật vào hệ thống.", "Only that an exemption was used, its ground and who decided are recorded; never enter the secret content.";
    exemption_ground: "Căn cứ không công khai", "Ground";
    exemption_reference: "Số, ký hiệu văn bản", "Reference";
    exemption_date: "Ngày quyết định", "Decided on";
    exemption_by: "Người ghi nhận", "Recorded by";
    exemption_record: "Ghi nhận", "Record";
    item_label: "Nội dung số", "Item";
    records_title: "Việc đã thực hiện", "What was done";
    records_none: "Chưa ghi nhận việc niêm yết, truyền thanh hay thông báo nào.", "No posting, broadcast or notice recorded yet.";
    record_channel: "Hình thức", "Form";
    record_place: "Thôn, tổ dân phố", "Village";
    record_place_hint: "với niêm yết tại thôn và gửi qua trưởng thôn", "for village postings and relays";
    record_start: "Từ ngày", "From";
    record_end: "Đến ngày", "To";
    record_end_hint: "để trống nếu vẫn đang niêm yết", "leave empty while still posted";
    record_end_button: "Ghi ngày gỡ", "Record removal";
    record_ongoing: "đang niêm yết", "still posted";
    record_days: "Số ngày", "Days";
    record_responsible: "Người thực hiện", "Done by";
    record_note: "Ghi chú", "Note";
    record_written_to_all: "Đã gửi văn bản đến từng người (cán bộ, người lao động)", "A written notice went to every staff member or worker";
    record_photo: "Ảnh chụp bản niêm yết (không bắt buộc)", "Photo of the posted notice (optional)";
    dash_disclosures_todo: "Công khai thông tin: {} nội dung chưa đúng quy định, {} nội dung đang thực hiện hoặc còn hạn", "Disclosures: {} not compliant, {} in progress or not yet due";
    record_photo_link: "Ảnh chụp bản niêm yết", "Photo of the notice";
    record_add: "Ghi nhận việc công khai", "Record a disclosure";
    record_save: "Ghi nhận", "Record";
    new_version_title: "Đăng nội dung sửa đổi", "Publish a changed version";
    new_version_intro: "Khi nội dung thay đổi, phải công khai lại theo đúng hình thức, thời hạn; các lần công khai trước vẫn được giữ và xem được.", "A change must be disclosed again under the same rules; earlier versions stay visible.";
    change_note: "Nội dung thay đổi", "What changed";
    keep_files: "Giữ tệp đính kèm của lần trước nếu không gửi tệp mới", "Keep the previous attachments if no new file is sent";
    published_before_title: "Đã đăng trên cổng thông tin trước ngày hôm nay?", "Already published on the portal before today?";
    published_before: "Ngày đã đăng trên cổng/trang thông tin điện tử", "Date it was published on the e-portal";
    withdraw_title: "Gỡ nội dung đăng nhầm", "Withdraw an item published by mistake";
    withdraw_reason: "Lý do", "Reason";
    withdraw_button: "Gỡ khỏi trang công khai", "Withdraw";

    home_intro: "Trang thông tin về thực hiện dân chủ ở cơ sở của tỉnh: các xã, phường, thôn, tổ dân phố và các cơ quan, đơn vị.", "The province's grassroots democracy site: its communes, wards, villages and residential groups, agencies and units.";
    stat_communes: "xã, phường", "communes and wards";
    stat_villages: "thôn, tổ dân phố", "villages and residential groups";
    stat_households: "hộ gia đình", "households";
    stat_people: "nhân khẩu", "residents";
    search_communes_label: "Tìm xã, phường", "Find a commune or ward";
    search_hint: "Gõ có dấu hoặc không dấu, ví dụ: Hac Thanh", "Type with or without accents, e.g. Hac Thanh";
    search_button: "Tìm", "Search";
    communes_title: "Các xã, phường", "Communes and wards";
    communes_count: "{} đơn vị", "{} units";
    communes_none: "Không tìm thấy xã, phường nào khớp với \"{}\".", "No commune or ward matches \"{}\".";
    col_name: "Tên", "Name";
    col_type: "Loại", "Type";
    col_code: "Mã", "Code";
    col_villages: "Thôn, TDP", "Villages";
    col_households: "Số hộ", "Households";
    col_people: "Nhân khẩu", "Residents";
    history_title: "Đơn vị hành chính trước ngày 01/7/2025", "Administrative units before 1 July 2025";
    history_intro: "Danh sách 547 đơn vị cấp xã và 26 đơn vị cấp huyện như ngày 30/6/2025, để tra cứu hồ sơ cũ. Mã cũ có thể trùng mã mới của một đơn vị khác.", "The 547 commune-level and 26 district-level units as on 30 June 2025, for older records. An old code may equal the new code of a different unit.";
    history_link: "Đơn vị hành chính trước 01/7/2025", "Administrative units before 1 July 2025";
    col_district: "Huyện", "District";

    unit_villages: "Thôn, tổ dân phố", "Villages and residential groups";
    unit_no_villages: "Chưa có thôn, tổ dân phố nào được khai báo.", "No village has been recorded yet.";
    unit_orgs: "Cơ quan, đơn vị, doanh nghiệp", "Agencies, units and enterprises";
    unit_contacts: "Liên hệ", "Contacts";
    unit_address: "Địa chỉ", "Address";
    unit_phone: "Điện thoại", "Phone";
    unit_email: "Thư điện tử", "E-mail";
    unit_website: "Trang thông tin", "Website";
    unit_no_contacts: "Chưa có thông tin liên hệ.", "No contact details yet.";
    unit_code_label: "Mã đơn vị", "Unit code";
    unit_since: "Hiệu lực từ", "In force since";
    unit_households_today: "Số hộ gia đình hiện nay", "Households today";
    unit_manage: "Quản lý đơn vị này", "Manage this unit";
    unit_parent: "Thuộc", "Part of";

    login_title: "Đăng nhập", "Sign in";
    login_username: "Tên đăng nhập", "Username";
    login_password: "Mật khẩu", "Password";
    login_submit: "Đăng nhập", "Sign in";
    login_failed: "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.";
    login_locked: "Tài khoản tạm khóa do nhập sai nhiều lần. Hãy thử lại sau {} phút.", "Too many failed attempts: the account is locked. Try again in {} minutes.";
    login_ip_locked: "Có quá nhiều lần đăng nhập sai từ địa chỉ này. Hãy thử lại sau ít phút.", "Too many failed sign-ins from this address. Try again in a few minutes.";
    login_forgot: "Quên mật khẩu?", "Forgot your password?";
    logged_out: "Bạn đã đăng xuất.", "You have signed out.";
    forgot_title: "Đặt lại mật khẩu", "Reset your password";
    forgot_intro: "Nhập địa chỉ thư điện tử của tài khoản. Nếu địa chỉ có trong hệ thống, chúng tôi sẽ gửi một đường dẫn dùng một lần, có hiệu lực 1 giờ.", "Enter your account's e-mail address. If it is known, we send a one-time link valid for 1 hour.";
    forgot_submit: "Gửi đường dẫn", "Send the link";
    forgot_sent: "Nếu địa chỉ có trong hệ thống, thư đã được gửi. Hãy kiểm tra hộp thư.", "If the address is known, the e-mail is on its way. Check your inbox.";
    reset_title: "Chọn mật khẩu mới", "Choose a new password";
    reset_invalid: "Đường dẫn không hợp lệ, đã dùng hoặc đã hết hạn.", "The link is invalid, already used or expired.";
    reset_done: "Đã đổi mật khẩu. Hãy đăng nhập bằng mật khẩu mới.", "Password changed. Sign in with the new password.";
    new_password: "Mật khẩu mới", "New password";
    new_password_hint: "Ít nhất 10 ký tự; nên dùng một câu dễ nhớ.", "At least 10 characters; a memorable sentence works well.";
    confirm_password: "Nhập lại mật khẩu mới", "Repeat the new password";
    passwords_differ: "Hai mật khẩu không giống nhau.", "The two passwords differ.";
    current_password: "Mật khẩu hiện tại", "Current password";
    change_password_title: "Đổi mật khẩu", "Change password";
    change_password_required: "Hãy đổi mật khẩu trước khi tiếp tục.", "Please change your password before you continue.";
    password_changed: "Đã đổi mật khẩu.", "Password changed.";
    save: "Lưu", "Save";
    add: "Thêm", "Add";
    back: "Quay lại", "Back";

    dash_title: "Việc của tôi", "My work";
    dash_hello: "Xin chào, {}", "Hello, {}";
    dash_roles: "Vai trò của bạn", "Your roles";
    dash_no_roles: "Tài khoản chưa được giao vai trò nào. Hãy liên hệ cán bộ xã, phường.", "Your account has no role yet. Ask your commune office.";
    dash_today: "Việc có thể làm", "What you can do";
    act_manage_villages: "Quản lý thôn, tổ dân phố và liên hệ", "Manage villages and contacts";
    act_households: "Xem danh sách hộ gia đình", "See the household registry";
    act_import: "Nhập danh sách hộ từ tệp Excel/CSV", "Import households from an Excel/CSV file";
    act_users: "Tài khoản và vai trò", "Accounts and roles";
    act_audit: "Nhật ký thay đổi", "Audit trail";
    act_public_page: "Trang công khai", "Public page";
    act_statistics: "Số liệu tổng hợp", "Statistics";

    admin_unit_title: "Quản lý: {}", "Manage: {}";
    village_add_title: "Thêm thôn, tổ dân phố", "Add a village";
    village_name: "Tên thôn, tổ dân phố", "Village name";
    village_name_hint: "Ví dụ: Đông Hòa (không cần gõ chữ \"Thôn\")", "E.g. Đông Hòa (no need to type \"Thôn\")";
    village_created: "Đã thêm {}.", "{} added.";
    village_exists: "Đã có thôn, tổ dân phố tên này trong đơn vị.", "A village with this name already exists here.";
    org_add_title: "Thêm cơ quan, đơn vị, doanh nghiệp", "Add an agency, unit or enterprise";
    org_kind: "Loại", "Kind";
    org_created: "Đã thêm {}.", "{} added.";
    contacts_title: "Thông tin liên hệ", "Contact details";
    contacts_saved: "Đã lưu thông tin liên hệ.", "Contact details saved.";

    households_title: "Hộ gia đình: {}", "Households: {}";
    households_none: "Chưa có hộ gia đình nào.", "No household yet.";
    col_household_code: "Mã hộ", "Household code";
    col_representative: "Đại diện hộ", "Representative";
    col_members: "Số người", "Members";
    col_address: "Địa chỉ", "Address";
    col_full_name: "Họ và tên", "Full name";
    col_birth: "Ngày sinh", "Date of birth";
    col_relation: "Quan hệ với chủ hộ", "Relation to the head";
    col_cccd: "Số CCCD", "Citizen ID";
    household_title: "Hộ {}", "Household {}";
    household_count_at: "Số hộ ngày {}: {}", "Households on {}: {}";
    page_prev: "Trang trước", "Previous page";
    page_next: "Trang sau", "Next page";
    cccd_note: "Số CCCD chỉ hiện 4 số cuối; hệ thống không lưu số đầy đủ.", "Only the last 4 digits of a citizen ID are shown; the full number is not stored.";
    representative_mark: "đại diện", "representative";
    household_add_title: "Thêm hộ gia đình", "Add a household";
    household_add_hint: "Nhập người đại diện hộ; các thành viên khác thêm bằng tệp danh sách.", "Enter the household representative; add the other members with a household file.";
    household_added: "Đã thêm hộ {}.", "Household {} added.";
    household_code_taken: "Mã hộ này đã được dùng trong xã, phường.", "This household code is already used in the commune.";
    household_close_title: "Ghi nhận hộ chuyển đi hoặc không còn", "Record that the household moved away or no longer exists";
    household_close_date: "Từ ngày", "From";
    household_close_submit: "Ghi nhận", "Record";
    household_closed: "Đã ghi nhận hộ {} không còn trong danh sách từ ngày {}.", "Household {} leaves the registry from {}.";
    household_closed_on: "Không còn trong danh sách từ ngày", "Left the registry on";

    import_title: "Nhập danh sách hộ gia đình: {}", "Import households: {}";
    import_intro: "Chọn tệp Excel (.xlsx) hoặc CSV theo mẫu. Hệ thống kiểm tra từng dòng; nếu có dòng sai thì không nhập dòng nào và liệt kê mọi dòng sai. Nhập lại cùng một tệp không làm thay đổi gì.", "Choose an Excel (.xlsx) or CSV file in the template's format. Every row is checked; if any row is wrong nothing is imported and every wrong row is listed. Importing the same file again changes nothing.";
    import_template: "Tải tệp mẫu (.xlsx)", "Download the template (.xlsx)";
    import_file: "Tệp danh sách", "File";
    import_submit: "Tải lên và nhập", "Upload and import";
    import_recent: "Các lần nhập gần đây", "Recent imports";
    import_status: "Trạng thái", "Status";
    import_progress: "Tiến độ", "Progress";
    import_rows: "Đã kiểm tra {} / {} dòng", "{} of {} rows checked";
    import_refresh: "Trang tự cập nhật mỗi 2 giây.", "This page refreshes every 2 seconds.";
    import_result: "Kết quả", "Result";
    import_added: "Hộ thêm mới", "Households added";
    import_updated: "Hộ cập nhật", "Households updated";
    import_unchanged: "Hộ không đổi", "Households unchanged";
    import_people_added: "Nhân khẩu thêm mới", "Residents added";
    import_errors: "Các dòng sai (không dòng nào được nhập)", "Rows with errors (nothing was imported)";
    import_no_file: "Hãy chọn một tệp.", "Please choose a file.";
    status_queued: "Đang chờ", "Queued";
    status_validating: "Đang kiểm tra", "Checking";
    status_writing: "Đang ghi vào cơ sở dữ liệu", "Writing";
    status_done: "Hoàn thành", "Done";
    status_rejected: "Bị từ chối do có dòng sai", "Rejected: some rows are wrong";
    status_failed: "Lỗi hệ thống", "System error";

    users_title: "Tài khoản và vai trò: {}", "Accounts and roles: {}";
    users_none: "Chưa có tài khoản nào có vai trò trong đơn vị này.", "No account holds a role in this unit yet.";
    user_add_title: "Tạo tài khoản và giao vai trò", "Create an account and grant a role";
    user_full_name: "Họ và tên", "Full name";
    user_email: "Thư điện tử (không bắt buộc)", "E-mail (optional)";
    user_role: "Vai trò", "Role";
    user_unit: "Tại đơn vị", "In unit";
    user_temp_password: "Mật khẩu tạm", "Temporary password";
    user_temp_password_hint: "Người dùng phải đổi mật khẩu ở lần đăng nhập đầu.", "The user must change it at first sign-in.";
    user_created: "Đã tạo tài khoản {}.", "Account {} created.";
    user_granted: "Đã giao vai trò cho {}.", "Role granted to {}.";
    user_exists_granted: "Tài khoản {} đã có; đã giao thêm vai trò.", "Account {} already existed; the role was added.";
    col_username: "Tên đăng nhập", "Username";
    role_revoke: "Thu hồi", "Withdraw";
    role_revoked: "Đã thu hồi vai trò của {}.", "Role of {} withdrawn.";
    col_roles: "Vai trò", "Roles";

    audit_title: "Nhật ký thay đổi: {}", "Audit trail: {}";
    audit_none: "Chưa có thay đổi nào.", "No change recorded yet.";
    col_time: "Thời gian", "Time";
    col_actor: "Người thực hiện", "By";
    col_action: "Hành động", "Action";
    col_unit: "Đơn vị", "Unit";
    col_summary: "Nội dung", "Details";
    audit_older: "Cũ hơn", "Older";

    err_title: "Có lỗi", "Something went wrong";
    err_not_found: "Không tìm thấy trang hoặc dữ liệu bạn cần.", "The page or record was not found.";
    err_unauthenticated: "Bạn cần đăng nhập để xem trang này.", "You need to sign in to see this page.";
    err_forbidden: "Bạn không có quyền thực hiện việc này ở đơn vị này.", "You are not allowed to do this in this unit.";
    err_csrf: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.", "The form expired or is not valid. Reload the page and try again.";
    err_internal: "Hệ thống gặp lỗi. Dữ liệu của bạn chưa bị thay đổi; hãy thử lại sau.", "The system hit an error. Nothing was changed; please try again later.";
    err_too_large: "Tệp hoặc dữ liệu gửi lên quá lớn (tối đa {} MB).", "The upload is too large (at most {} MB).";
    err_bad_request: "Yêu cầu không hợp lệ.", "The request is not valid.";
    err_validation: "Hãy sửa các lỗi dưới đây.", "Please correct the errors below.";
    err_rate_limited: "Bạn thao tác quá nhanh. Hãy thử lại sau ít phút.", "Too many requests. Try again in a few minutes.";
    err_unsupported_type: "Định dạng dữ liệu gửi lên không được hỗ trợ.", "The content type is not supported.";
    err_go_home: "Về trang chủ", "Go to the home page";

    // Consultations, officials' pages (issue 4; keys csa_).
    csa_link: "Lấy ý kiến Nhân dân", "Consultations";
    dq_link: "Dân quyết: biểu quyết của hộ gia đình", "Community decisions";
    csa_list_intro: "Các đợt lấy ý kiến của đơn vị, kể cả bản nháp chưa công bố. Thời gian lấy ý kiến ít nhất 20 ngày (30 ngày với dự thảo hương ước, quy ước).", "The unit's consultations, drafts included. A consultation stays open at least 20 days (30 for a village convention draft).";
    csa_none: "Chưa có đợt lấy ý kiến nào.", "No consultation yet.";
    csa_new_title: "Tạo đợt lấy ý kiến", "New consultation";
    csa_edit_title: "Sửa kế hoạch, thời gian lấy ý kiến", "Edit the plan and period";
    csa_col_title: "Tên dự thảo, nội dung", "Title";
    csa_col_status: "Tình trạng", "Status";
    csa_col_comments: "Ý kiến", "Opinions";
    csa_col_unanswered: "chưa trả lời", "unanswered";
    csa_col_participants: "Người tham gia", "Participants";
    csa_status_draft: "Bản nháp, chưa công bố", "Draft, not published";
    csa_subject: "Nội dung lấy ý kiến (theo luật)", "Subject (as listed by the law)";
    csa_village: "Thôn, tổ dân phố", "Village";
    csa_village_hint: "Bắt buộc với dự thảo hương ước, quy ước", "Required for a village convention draft";
    csa_summary: "Tóm tắt nội dung", "Summary";
    csa_eligibility: "Ai được tham gia góp ý", "Who may take part";
    csa_period: "Thời gian lấy ý kiến", "Consultation period";
    csa_period_hint: "Tính từ ngày công bố: ít nhất 20 ngày (Điều 28 Luật Thực hiện dân chủ ở cơ sở), 30 ngày với dự thảo hương ước, quy ước (Nghị định 61/2023), trừ khi luật chuyên ngành quy định khác.", "Counted from publication: at least 20 days (Law Art. 28), 30 for a village convention draft (Decree 61/2023), unless a sector law sets another period.";
    csa_period_text: "từ ngày {} đến hết ngày {}", "from {} to {} inclusive";
    csa_opens_on: "Ngày công bố, bắt đầu lấy ý kiến", "Opens on";
    csa_closes_on: "Ngày kết thúc lấy ý kiến", "Closes on";
    csa_sector_title: "Luật chuyên ngành quy định thời gian khác", "A sector law sets another period";
    csa_sector_days: "Số ngày theo luật chuyên ngành", "Days set by the sector law";
    csa_sector_basis: "Căn cứ (điều, khoản, văn bản)", "Legal basis (article, clause, document)";
    csa_sector_text: "Thời gian {} ngày theo luật chuyên ngành: {}", "Period of {} days set by a sector law: {}";
    csa_plan: "Kế hoạch lấy ý kiến", "Consultation plan";
    csa_plan_hint: "Kế hoạch gồm nội dung, hình thức, cách thức, thời gian và trách nhiệm; gửi đến:", "The plan gives the content, forms, method, timeline and responsibilities; it is sent to:";
    csa_plan_content: "Nội dung lấy ý kiến", "What is consulted on";
    csa_plan_forms: "Hình thức lấy ý kiến", "Forms of consultation";
    csa_plan_method: "Cách thức tổ chức", "Method";
    csa_plan_responsibilities: "Trách nhiệm của các bộ phận", "Responsibilities";
    csa_plan_recipients: "Nơi nhận kế hoạch", "Sent to";
    csa_plan_sent_on: "Ngày gửi kế hoạch", "Plan sent on";
    csa_plan_not_sent: "Chưa ghi ngày gửi kế hoạch", "Not recorded as sent yet";
    csa_mark_sent: "Ghi ngày đã gửi kế hoạch", "Record the day it was sent";
    csa_signer: "Người ký", "Signer";
    csa_download_pdf: "Tải kế hoạch (PDF)", "Download the plan (PDF)";
    csa_download_docx: "Tải kế hoạch (DOCX)", "Download the plan (DOCX)";
    csa_draft: "Dự thảo", "Draft";
    csa_draft_hint: "Dán toàn văn dự thảo hoặc tải lên tệp DOCX. Dự thảo được tách thành chương, mục, điều, khoản, điểm để người dân góp ý từng điều; nếu không tách được, dự thảo vẫn được giữ nguyên văn để góp ý chung.", "Paste the full draft or upload a DOCX file. It is split into chapters, sections, articles, clauses and points so people can comment on each; if it cannot be split, it is kept verbatim for general comments.";
    csa_draft_text: "Toàn văn dự thảo", "Full text of the draft";
    csa_draft_file: "Hoặc tệp dự thảo", "Or the draft file";
    csa_create: "Lưu bản nháp", "Save as draft";
    csa_save: "Lưu", "Save";
    csa_current_version: "Phiên bản hiện hành:", "Current version:";
    csa_versions: "Các phiên bản dự thảo", "Versions of the draft";
    csa_version: "Phiên bản", "Version";
    csa_unstructured_badge: "chưa tách điều", "not split";
    csa_new_version: "Đăng phiên bản mới của dự thảo", "Publish a new version of the draft";
    csa_change_note: "Nội dung thay đổi", "What changed";
    csa_add_version: "Đăng phiên bản mới", "Add the version";
    csa_part: "Phần dự thảo", "Part of the draft";
    csa_whole_draft: "Toàn bộ dự thảo", "The whole draft";
    csa_all_parts: "Tất cả", "All";
    csa_public_page: "Xem trang công khai", "View the public page";
    csa_disclosure_item: "Mục công khai của đợt lấy ý kiến", "The consultation's disclosure item";
    csa_synthesis_item: "Mục công khai báo cáo tiếp thu, giải trình", "The synthesis's disclosure item";
    csa_disclosure_title: "Lấy ý kiến Nhân dân: {}", "Consultation: {}";
    csa_read_and_comment: "Xem toàn văn dự thảo và góp ý tại:", "Read the draft and comment at:";
    csa_publish_title: "Công bố lấy ý kiến", "Publish the consultation";
    csa_publish_intro: "Khi công bố, đợt lấy ý kiến được đăng thành nội dung công khai (mục 11 Điều 11 Luật Thực hiện dân chủ ở cơ sở), người đăng ký nhận tin được thông báo, và người dân góp ý được từ ngày bắt đầu.", "Publishing posts the consultation as a disclosure item (Law Art. 11 item 11), tells subscribers, and opens it for comments from its opening day.";
    csa_publish_button: "Công bố", "Publish";
    csa_hidden_count: "ý kiến bị ẩn", "hidden";
    csa_pending_statements: "nhận định chờ duyệt", "statements awaiting moderation";
    csa_opinion_title: "Nhập ý kiến nhận được ngoài mạng", "Enter an opinion received offline";
    csa_opinion_intro: "Ý kiến từ hội nghị, cuộc họp, phiếu, văn bản, hòm thư góp ý, đường dây nóng, qua Mặt trận và các đoàn thể… được ghi cùng hình thức và nguồn; có thể ghi hộ gia đình là tác giả dù không có tài khoản.", "Opinions from meetings, ballots, letters, the suggestion box, the hotline, the Front and mass organisations… are recorded with their channel and source; a household can be the author without an account.";
    csa_channel: "Hình thức", "Channel";
    csa_source: "Nguồn", "Source";
    csa_source_hint: "Ví dụ: Hội nghị thôn Đông, 05/12/2026", "E.g. Hội nghị thôn Đông, 05/12/2026";
    csa_received_on: "Ngày nhận ý kiến", "Received on";
    csa_author_name: "Họ tên người góp ý (nếu có)", "Name of the author (optional)";
    csa_household: "Mã hộ gia đình (nếu có)", "Household code (optional)";
    csa_household_hint: "Mã hộ trong sổ hộ của đơn vị", "The code in the unit's household registry";
    csa_opinion_text: "Nội dung ý kiến", "Opinion";
    csa_opinion_save: "Ghi nhận ý kiến", "Record the opinion";
    csa_statements_title: "Nhận định để biểu quyết đồng ý / không đồng ý", "Statements voted agree / disagree";
    csa_statements_intro: "Nhận định do người tham gia gửi cần được duyệt trước khi hiển thị. Với mỗi nhận định có ý kiến đa số, ghi quyết định có theo đa số không; nếu không theo, phải giải trình lý do trước khi công bố kết quả (Điều 28 khoản 4).", "Participants' statements are moderated before they are shown. For each statement with a majority, record whether the decision follows it; a departure needs a written justification before the synthesis is published (Art. 28(4)).";
    csa_st_pending: "Chờ duyệt", "Awaiting moderation";
    csa_st_approved: "Đã duyệt", "Approved";
    csa_st_rejected: "Không duyệt", "Rejected";
    csa_by_participant: "do người tham gia gửi", "sent by a participant";
    csa_approve: "Duyệt", "Approve";
    csa_reject: "Không duyệt", "Reject";
    csa_reason: "Lý do", "Reason";
    csa_votes: "Biểu quyết", "Votes";
    csa_agree: "đồng ý", "agree";
    csa_disagree: "không đồng ý", "disagree";
    csa_pass: "bỏ qua", "pass";
    csa_majority: "Ý kiến đa số", "Majority";
    csa_no_majority: "Không có đa số", "No majority";
    csa_decision: "Quyết định", "Decision";
    csa_follows: "Theo ý kiến đa số", "Follows the majority";
    csa_departs: "Khác ý kiến đa số", "Departs from the majority";
    csa_justification: "Giải trình lý do (bắt buộc nếu khác đa số)", "Justification (required for a departure)";
    csa_needs_justification: "Quyết định khác ý kiến đa số nhưng chưa giải trình lý do.", "The decision departs from the majority without a justification.";
    csa_new_statement: "Thêm nhận định (được duyệt ngay)", "Add a statement (approved at once)";
    csa_add_statement: "Thêm nhận định", "Add the statement";
    csa_responses_title: "Tiếp thu, giải trình ý kiến", "Responses to opinions";
    csa_responses_intro: "Mỗi ý kiến hoặc nhóm ý kiến giống nhau phải được tiếp thu, hoặc giải trình rõ lý do (ít nhất 15 ký tự), trước khi công bố kết quả.", "Every opinion or group of similar opinions must be accepted, or explained with a reason (at least 15 characters), before the synthesis is published.";
    csa_by_part: "Số ý kiến theo phần dự thảo", "Opinions per part of the draft";
    csa_filter_part: "Phần dự thảo", "Part of the draft";
    csa_show_all: "Hiện cả ý kiến đã trả lời và đã ẩn", "Show answered and hidden opinions too";
    csa_groups_title: "Nhóm ý kiến giống nhau", "Groups of similar opinions";
    csa_groups_intro: "Các ý kiến gần giống nhau trên cùng một phần được gộp nhóm, nhóm lớn nhất trước; trả lời một lần cho cả nhóm.", "Near-identical opinions on the same part are grouped, largest first; one response answers the whole group.";
    csa_groups_none: "Chưa có nhóm ý kiến nào (nhóm được tính lại sau mỗi lần có ý kiến mới).", "No groups yet (they are recomputed after new opinions).";
    csa_similar_opinions: "ý kiến giống nhau", "similar opinions";
    csa_response: "Trả lời", "Response";
    csa_accepted: "Tiếp thu", "Accepted";
    csa_explained: "Giải trình", "Explained";
    csa_no_response: "Chưa trả lời", "No response yet";
    csa_response_text: "Nội dung tiếp thu hoặc lý do giải trình", "How it is taken in, or the reason it is not";
    csa_respond: "Lưu trả lời", "Save the response";
    csa_respond_group: "Trả lời cả nhóm", "Answer the whole group";
    csa_unanswered_title: "Ý kiến chưa trả lời", "Unanswered opinions";
    csa_all_opinions: "Tất cả ý kiến", "All opinions";
    csa_nothing_unanswered: "Không còn ý kiến nào chưa trả lời.", "No opinion is waiting for a response.";
    csa_in_group: "thuộc một nhóm", "in a group";
    csa_hidden_label: "Đã ẩn", "Hidden";
    csa_hide: "Ẩn ý kiến", "Hide the opinion";
    csa_more: "Xem tiếp", "More";
    csa_resident_of: "Một người dân {}", "A resident of {}";
    csa_anonymous: "Người tham gia", "A participant";
    csa_synthesis_title: "Báo cáo tổng hợp, tiếp thu, giải trình", "Synthesis report";
    csa_by_channel: "Số ý kiến theo hình thức", "Opinions per channel";
    csa_report_rows: "Ý kiến và việc tiếp thu, giải trình", "Opinions and responses";
    csa_departures: "Nội dung quyết định khác ý kiến đa số và lý do", "Decisions departing from the majority, with reasons";
    csa_publish_synthesis: "Công bố kết quả tiếp thu, giải trình", "Publish the synthesis";
    csa_publish_synthesis_intro: "Báo cáo được lập thành tệp PDF và DOCX theo thể thức văn bản hành chính, đăng thành nội dung công khai (mục 11) và gửi thông báo đến người đăng ký nhận tin.", "The report is generated as PDF and DOCX in the official layout, published as a disclosure item (item 11) and sent to subscribers.";
    csa_intro: "Phần mở đầu (không bắt buộc)", "Introduction (optional)";
    csa_done_created: "Đã lưu bản nháp đợt lấy ý kiến.", "The consultation was saved as a draft.";
    csa_done_edited: "Đã lưu thay đổi.", "The changes were saved.";
    csa_done_published: "Đã công bố đợt lấy ý kiến và đăng nội dung công khai.", "The consultation was published as a disclosure item.";
    csa_done_plan_sent: "Đã ghi ngày gửi kế hoạch.", "The day the plan was sent was recorded.";
    csa_done_version: "Đã đăng phiên bản mới của dự thảo; các ý kiến cũ vẫn gắn với phiên bản trước.", "The new version was published; earlier opinions stay with their version.";
    csa_done_opinion: "Đã ghi nhận ý kiến.", "The opinion was recorded.";
    csa_done_hidden: "Đã ẩn ý kiến; việc ẩn được ghi vào nhật ký.", "The opinion was hidden; the audit trail records it.";
    csa_done_responded: "Đã lưu trả lời.", "The response was saved.";
    csa_done_statement: "Đã thêm nhận định.", "The statement was added.";
    csa_done_moderated: "Đã duyệt nhận định.", "The statement was moderated.";
    csa_done_decision: "Đã ghi quyết định.", "The decision was recorded.";
    csa_done_synthesised: "Đã công bố kết quả tiếp thu, giải trình.", "The synthesis was published.";
    csa_err_village: "Dự thảo hương ước, quy ước phải chọn thôn, tổ dân phố của xã.", "A village convention draft needs one of the commune's villages.";
    csa_err_title: "Hãy nhập tên dự thảo, nội dung lấy ý kiến (tối đa 300 ký tự).", "Enter a title (at most 300 characters).";
    csa_err_summary: "Hãy nhập tóm tắt nội dung (tối đa 5.000 ký tự).", "Enter a summary (at most 5,000 characters).";
    csa_err_eligibility: "Hãy chọn ai được tham gia góp ý.", "Choose who may take part.";
    csa_err_opens: "Thiếu ngày bắt đầu lấy ý kiến.", "The opening day is missing.";
    csa_err_closes: "Thiếu ngày kết thúc lấy ý kiến.", "The closing day is missing.";
    csa_err_opens_past: "Ngày bắt đầu lấy ý kiến không được trước hôm nay: thời gian lấy ý kiến tính từ ngày công bố.", "The opening day cannot be in the past: the period counts from publication.";
    csa_err_sector_days: "Số ngày theo luật chuyên ngành phải từ 1 đến 365.", "The sector law's period must be 1 to 365 days.";
    csa_err_sector_basis: "Thời gian theo luật chuyên ngành cần ghi rõ căn cứ (điều, khoản, văn bản).", "A period set by a sector law needs its legal basis.";
    csa_err_draft_docx: "Tệp dự thảo phải là tệp Word (DOCX).", "The draft file must be a Word (DOCX) file.";
    csa_err_draft_empty_file: "Không đọc được chữ nào trong tệp dự thảo.", "No text could be read from the draft file.";
    csa_err_draft_missing: "Hãy dán nội dung dự thảo hoặc tải lên tệp DOCX.", "Paste the draft or upload a DOCX file.";
    csa_err_draft_long: "Dự thảo quá dài (tối đa 200.000 ký tự).", "The draft is too long (at most 200,000 characters).";
    csa_err_not_draft: "Đợt lấy ý kiến đã công bố; không sửa được kế hoạch và thời gian nữa.", "The consultation is published; its plan and period can no longer be edited.";
    csa_err_publish_late: "Ngày bắt đầu lấy ý kiến đã qua; hãy sửa lại thời gian trước khi công bố, vì thời gian lấy ý kiến tính từ ngày công bố.", "The opening day has passed; change the dates before publishing, since the period counts from publication.";
    csa_err_future: "Ngày không được sau hôm nay.", "The date cannot be in the future.";
    csa_err_synthesised: "Đã công bố kết quả tiếp thu, giải trình; không thay đổi được nữa.", "The synthesis is published; nothing can be changed any more.";
    csa_err_change_note: "Hãy ghi nội dung thay đổi của phiên bản mới.", "Describe what changed in the new version.";
    csa_err_not_accepting: "Đợt lấy ý kiến chưa công bố hoặc đã công bố kết quả; không nhập thêm ý kiến.", "The consultation is not published or its synthesis is out; no more opinions can be entered.";
    csa_err_channel: "Hãy chọn hình thức nhận ý kiến (không phải góp ý trực tuyến).", "Choose the offline channel the opinion came through.";
    csa_err_source: "Hãy ghi nguồn của ý kiến, ví dụ: Hội nghị thôn Đông, 05/12/2026 (tối đa 300 ký tự).", "Give the opinion's source, e.g. Hội nghị thôn Đông, 05/12/2026 (at most 300 characters).";
    csa_err_before_open: "Ngày nhận ý kiến không được trước ngày bắt đầu lấy ý kiến.", "The opinion cannot be received before the consultation opened.";
    csa_err_household: "Không tìm thấy hộ gia đình có mã này trong đơn vị.", "No household with this code in the unit.";
    csa_err_part: "Phần dự thảo không có trong phiên bản hiện hành.", "That part is not in the current version of the draft.";
    csa_err_hide_reason: "Hãy chọn lý do trong danh sách.", "Choose a reason from the list.";
    csa_err_already_hidden: "Ý kiến này đã được ẩn trước đó.", "This opinion was already hidden.";
    csa_err_statement_exists: "Nhận định này đã có.", "This statement exists already.";
    csa_err_moderation: "Hãy chọn duyệt hoặc không duyệt.", "Choose approve or reject.";
    csa_err_follows: "Hãy chọn quyết định theo hay khác ý kiến đa số.", "Choose whether the decision follows the majority.";
    csa_err_not_published: "Đợt lấy ý kiến chưa được công bố.", "The consultation has not been published.";
    csa_err_still_open: "Đợt lấy ý kiến chưa kết thúc (hết ngày {}); chỉ công bố kết quả sau khi hết thời gian lấy ý kiến.", "The consultation is still open (until {}); publish the synthesis after it closes.";
    csa_err_signer: "Hãy ghi người ký báo cáo.", "Enter who signs the report.";
    csa_synthesis_doc_title: "Báo cáo tổng hợp, tiếp thu, giải trình ý kiến về {}", "Synthesis of opinions on {}";

    // Information requests and calendar (issue 3).
    ir_link: "Yêu cầu cung cấp thông tin", "Information requests";
    ir_dash_due: "Yêu cầu cung cấp thông tin ({} yêu cầu sắp đến hạn hoặc quá hạn)", "Information requests ({} due within 3 working days or overdue)";
    ir_status_open: "Đang giải quyết", "Being handled";
    ir_status_answered: "Đã cung cấp thông tin", "Information provided";
    ir_status_refused: "Từ chối cung cấp (có văn bản nêu lý do)", "Refused in writing, with reasons";
    ir_status_withdrawn: "Người yêu cầu đã rút yêu cầu", "Withdrawn by the requester";
    ir_err_contact: "Hãy ghi thư điện tử hoặc số điện thoại (9 đến 15 chữ số) để cơ quan trả lời bạn.", "Give an e-mail address or a phone number (9 to 15 digits) so the office can answer you.";
    ir_err_ground: "Hãy chọn trường hợp yêu cầu cung cấp thông tin.", "Choose why you request the information.";
    ir_err_subject: "Thông tin cần cung cấp phải có từ 3 đến 200 ký tự.", "The information requested must have 3 to 200 characters.";
    ir_err_details: "Phần mô tả chi tiết dài tối đa 4.000 ký tự.", "The details may have at most 4,000 characters.";
    ir_err_name: "Họ và tên phải có từ 2 đến 100 ký tự.", "The name must have 2 to 100 characters.";
    ir_err_received_future: "Ngày nhận yêu cầu không được sau hôm nay.", "The day the request was received cannot be after today.";
    ir_err_received_old: "Ngày nhận yêu cầu không hợp lệ.", "The day the request was received is not valid.";
    ir_err_channel: "Hãy chọn hình thức yêu cầu (trực tiếp hoặc qua mạng điện tử).", "Choose how the request was made (in person or electronically).";
    ir_err_complexity: "Hãy chọn loại thông tin (đơn giản hoặc phức tạp).", "Choose the kind of information (simple or complex).";
    ir_err_closed: "Yêu cầu này đã được giải quyết xong; không thể thay đổi.", "This request is already closed; it cannot be changed.";
    ir_err_answer: "Hãy ghi nội dung thông tin đã cung cấp (tối đa 8.000 ký tự).", "Write the information provided (at most 8,000 characters).";
    ir_err_extend_reason: "Gia hạn phải nêu lý do (tối đa 1.000 ký tự).", "An extension must state its reason (at most 1,000 characters).";
    ir_new_title: "Yêu cầu cung cấp thông tin: {}", "Request information: {}";
    ir_new_intro: "Bạn có quyền yêu cầu cung cấp thông tin phải công khai nhưng chưa được công khai, thông tin đã hết thời hạn công khai, hoặc thông tin đang công khai nhưng không tiếp cận được vì lý do bất khả kháng (Luật Thực hiện dân chủ ở cơ sở, Điều 14). Không cần tài khoản.", "You may request information that should have been disclosed but was not, whose disclosure period has expired, or that is disclosed but cannot be reached for reasons of force majeure (Law on grassroots democracy, Art. 14). No account is needed.";
    ir_deadlines_hint: "Thời hạn trả lời yêu cầu qua mạng: thông tin đơn giản, có sẵn trong 3 ngày làm việc; thông tin phức tạp: thông báo thời hạn trong 3 ngày làm việc và trả lời trong 15 ngày làm việc (có thể gia hạn một lần). Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ.", "Deadlines for electronic requests: simple, ready information within 3 working days; complex information: notice of the time frame within 3 working days and an answer within 15 working days (extendable once). Working days exclude weekends and days off.";
    ir_ground: "Trường hợp yêu cầu", "Why you request it";
    ir_subject: "Thông tin cần cung cấp", "Information requested";
    ir_subject_hint: "Ví dụ: Dự toán ngân sách xã năm 2026", "E.g. the commune's 2026 budget estimate";
    ir_details: "Mô tả chi tiết", "Details";
    ir_details_hint: "Không bắt buộc. Không ghi số CCCD hay thông tin cá nhân không cần thiết.", "Optional. Do not write your citizen ID or other personal data that is not needed.";
    ir_name: "Họ và tên người yêu cầu", "Requester's name";
    ir_contact: "Thư điện tử hoặc số điện thoại", "E-mail or phone number";
    ir_contact_optional: "Thư điện tử hoặc số điện thoại (không bắt buộc)", "E-mail or phone number (optional)";
    ir_contact_hint: "Chỉ dùng để trả lời yêu cầu; không hiển thị công khai.", "Used only to answer the request; never shown publicly.";
    ir_privacy: "Họ tên và thông tin liên hệ chỉ cán bộ giải quyết yêu cầu được xem.", "Only the officials handling the request see your name and contact.";
    ir_submit: "Gửi yêu cầu", "Send the request";
    ir_filed: "Đã gửi yêu cầu. Mã tra cứu của bạn là {}. Hãy ghi lại mã này để theo dõi kết quả.", "Your request was sent. Your tracking code is {}. Write it down to follow the answer.";
    ir_track_link: "Tra cứu yêu cầu đã gửi", "Track a request";
    ir_track_title: "Tra cứu yêu cầu cung cấp thông tin", "Track an information request";
    ir_track_button: "Tra cứu", "Track";
    ir_track_unknown: "Không tìm thấy yêu cầu nào có mã \"{}\". Hãy kiểm tra lại mã tra cứu (dạng YC-XXXX-XXXX-XXXX).", "No request has the code \"{}\". Check the tracking code (like YC-XXXX-XXXX-XXXX).";
    ir_track_keep: "Giữ mã tra cứu để theo dõi. Thời hạn tính theo ngày làm việc.", "Keep the tracking code to follow the request. Deadlines count working days.";
    ir_code: "Mã tra cứu", "Tracking code";
    ir_unit: "Cơ quan giải quyết", "Answered by";
    ir_channel: "Hình thức yêu cầu", "Channel";
    ir_complexity: "Loại thông tin", "Kind of information";
    ir_received: "Ngày nhận yêu cầu", "Received on";
    ir_status: "Tình trạng", "Status";
    ir_overdue: "Quá hạn", "Overdue";
    ir_notice_by: "Hạn thông báo thời hạn giải quyết", "Notice of the time frame due by";
    ir_answer_by: "Hạn trả lời", "Answer due by";
    ir_due: "Hạn giải quyết", "Due";
    ir_extended_to: "Gia hạn đến", "Extended to";
    ir_extension_reason: "Lý do gia hạn", "Reason for the extension";
    ir_answered_on: "Ngày giải quyết", "Closed on";
    ir_answer: "Thông tin đã cung cấp", "Information provided";
    ir_refusal_reasons: "Lý do từ chối", "Reasons for the refusal";
    ir_list_title: "Yêu cầu cung cấp thông tin: {}", "Information requests: {}";
    ir_none: "Chưa có yêu cầu cung cấp thông tin nào.", "No information request yet.";
    ir_register_title: "Ghi nhận yêu cầu nhận trực tiếp", "Register a request received in person";
    ir_register_hint: "Ghi yêu cầu người dân đến trụ sở hoặc gửi qua thư điện tử; hệ thống tính thời hạn và cấp mã tra cứu cho người yêu cầu.", "Record a request made at the office or by e-mail; the system computes the deadlines and issues a tracking code for the requester.";
    ir_register_button: "Ghi nhận", "Register";
    ir_registered: "Đã ghi nhận yêu cầu. Mã tra cứu cho người yêu cầu: {}.", "Request registered. Tracking code for the requester: {}.";
    ir_detail_title: "Yêu cầu {}", "Request {}";
    ir_answer_title: "Cung cấp thông tin", "Provide the information";
    ir_answer_hint: "Nội dung thông tin, hoặc nơi và thời gian người yêu cầu đến xem, nhận.", "The information, or where and when the requester may view or collect it.";
    ir_answer_button: "Ghi nhận đã cung cấp", "Record as provided";
    ir_answered: "Đã ghi nhận việc cung cấp thông tin.", "The information was recorded as provided.";
    ir_refuse_title: "Từ chối cung cấp thông tin", "Refuse the request";
    ir_refuse_hint: "Bắt buộc: việc từ chối phải bằng văn bản và nêu rõ lý do.", "Required: a refusal must be in writing and state its reasons.";
    ir_refuse_button: "Từ chối", "Refuse";
    ir_refused: "Đã ghi nhận văn bản từ chối cung cấp thông tin.", "The written refusal was recorded.";
    ir_extend_title: "Gia hạn (chỉ một lần)", "Extend (once only)";
    ir_extend_to: "Nếu gia hạn hôm nay, hạn trả lời mới là", "If extended today, the new deadline is";
    ir_extend_button: "Gia hạn và thông báo cho người yêu cầu", "Extend and notify the requester";
    ir_extended: "Đã gia hạn đến ngày {}. Hãy thông báo bằng văn bản cho người yêu cầu.", "Extended to {}. Notify the requester in writing.";
    ir_classify_title: "Phân loại thông tin", "Classify the information";
    ir_classify_hint: "Yêu cầu gửi qua mạng được ghi là thông tin đơn giản; nếu thông tin phức tạp, cần tập hợp, hãy đổi loại để tính lại thời hạn.", "Online requests start as simple information; if the information is complex and must be gathered, change the kind to recompute the deadlines.";
    ir_classify_button: "Đổi thành", "Change to";
    ir_classified: "Đã đổi loại thông tin và tính lại thời hạn.", "The kind of information was changed and the deadlines recomputed.";
    ir_withdraw_title: "Người yêu cầu rút yêu cầu", "The requester withdrew the request";
    ir_withdraw_button: "Ghi nhận rút yêu cầu", "Record the withdrawal";
    ir_withdrawn: "Đã ghi nhận người yêu cầu rút yêu cầu.", "The withdrawal was recorded.";
    cal_nav: "Lịch ngày nghỉ", "Calendar of days off";
    cal_title: "Ngày nghỉ và ngày làm bù năm {}", "Days off and swapped working days in {}";
    cal_admin_title: "Quản lý lịch ngày nghỉ năm {}", "Manage the calendar of {}";
    cal_intro: "Thời hạn tính theo ngày làm việc không tính thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết và các ngày nghỉ do Chính phủ công bố; ngày làm bù vào thứ Bảy được tính là ngày làm việc.", "Deadlines in working days skip weekends, public holidays and the days off the Government announces; a Saturday worked in exchange counts as a working day.";
    cal_public_link: "Xem lịch ngày nghỉ", "See the calendar of days off";
    cal_manage: "Quản lý lịch ngày nghỉ", "Manage the calendar";
    cal_prev_year: "Năm trước", "Previous year";
    cal_next_year: "Năm sau", "Next year";
    cal_statutory: "Ngày nghỉ lễ, Tết theo Bộ luật Lao động", "Public holidays of the Labour Code";
    cal_statutory_hint: "Tính theo quy tắc mặc định (Tết: ngày cuối năm âm lịch và 4 ngày đầu năm mới; Quốc khánh: 2/9 và ngày liền sau). Các ngày cụ thể do Chính phủ công bố hằng năm; ghi khác biệt ở bảng dưới.", "Computed by the default rules (Tết: the last day of the lunar year and the first four of the new one; National Day: 2 September and the day after). The Government fixes the exact days each year; record differences below.";
    cal_holiday: "Ngày lễ", "Holiday";
    cal_kept: "năm nay đi làm", "a working day this year";
    cal_announced: "Ngày do Chính phủ công bố", "Days announced by the Government";
    cal_announced_none: "Chưa có ngày nào được ghi cho năm này.", "No day is recorded for this year yet.";
    cal_date: "Ngày", "Date";
    cal_weekday: "Thứ", "Day";
    cal_kind: "Loại ngày", "Kind of day";
    cal_kind_off: "Ngày nghỉ thêm (nghỉ bù, nghỉ liền kề)", "Extra day off (compensatory or bridge day)";
    cal_kind_working: "Ngày làm bù vào thứ Bảy, Chủ nhật", "Weekend day worked in exchange";
    cal_kind_not_off: "Ngày lễ theo mặc định nhưng năm nay đi làm", "Default holiday that is a working day this year";
    cal_note: "Ghi chú", "Note";
    cal_note_hint: "Bắt buộc: căn cứ, ví dụ số văn bản thông báo của Chính phủ.", "Required: the basis, e.g. the number of the Government's notice.";
    cal_remove: "Xoá", "Remove";
    cal_add_title: "Thêm hoặc sửa một ngày", "Add or change a day";
    cal_added: "Đã lưu ngày {}; thời hạn các yêu cầu đang giải quyết đã được tính lại.", "Day {} saved; the deadlines of open requests were recomputed.";
    cal_removed: "Đã xoá ngày {}; thời hạn các yêu cầu đang giải quyết đã được tính lại.", "Day {} removed; the deadlines of open requests were recomputed.";
    cal_err_kind: "Loại ngày không hợp lệ.", "The kind of day is not valid.";
    cal_err_note: "Hãy ghi chú căn cứ (từ 1 đến 300 ký tự).", "Write the basis in the note (1 to 300 characters).";
    cal_err_working_weekday: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", "A day worked in exchange must be a Saturday or a Sunday.";
    cal_err_not_holiday: "Ngày này không phải ngày nghỉ lễ theo mặc định vào ngày thường.", "This day is not a default public holiday on a weekday.";
    cal_err_already_off: "Ngày này đã là ngày nghỉ (cuối tuần hoặc ngày lễ).", "This day is already a day off (weekend or public holiday).";
    cal_days_off: "Ngày nghỉ vào ngày thường", "Days off on weekdays";
    cal_working_weekends: "Ngày làm việc vào thứ Bảy, Chủ nhật", "Working days on weekends";
    cal_reason: "Lý do", "Reason";
    cal_none: "Không có.", "None.";
    cal_public_note: "Lịch này dùng để tính mọi thời hạn theo ngày làm việc trên nền tảng.", "The platform computes every deadline in working days on this calendar.";
    hol_new_year: "Tết Dương lịch", "New Year's Day";
    hol_tet: "Tết Nguyên đán", "Lunar New Year (Tết)";
    hol_hung_kings: "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hùng Kings' Commemoration (10th day of the 3rd lunar month)";
    hol_reunification: "Ngày Chiến thắng (30/4)", "Reunification Day (30 April)";
    hol_labour: "Ngày Quốc tế Lao động (1/5)", "International Labour Day (1 May)";
    hol_national: "Quốc khánh (2/9)", "National Day (2 September)";
    wd_mon: "Thứ Hai", "Monday";
    wd_tue: "Thứ Ba", "Tuesday";
    wd_wed: "Thứ Tư", "Wednesday";
    wd_thu: "Thứ Năm", "Thursday";
    wd_fri: "Thứ Sáu", "Friday";
    wd_sat: "Thứ Bảy", "Saturday";
    wd_sun: "Chủ nhật", "Sunday";

    // Consultations, public pages and participation (issue 4; keys cs_).
    cs_title: "Lấy ý kiến", "Consultations";
    cs_open_title: "Lấy ý kiến Nhân dân đang diễn ra", "Open public consultations";
    cs_unit_title: "Lấy ý kiến — {}", "Consultations — {}";
    cs_intro: "Chính quyền, cơ quan, đơn vị lấy ý kiến của Nhân dân về các dự thảo theo Luật Thực hiện dân chủ ở cơ sở. Mọi ý kiến đều được tổng hợp và trả lời công khai: tiếp thu, hoặc giải trình lý do.", "Authorities and units consult the people on drafts under the Law on grassroots democracy. Every opinion is collected and answered in public: accepted, or explained with a reason.";
    cs_open_now: "Đang lấy ý kiến", "Open now";
    cs_all_open: "Tất cả các đợt lấy ý kiến đang mở", "Every open consultation";
    cs_none_open: "Hiện không có đợt lấy ý kiến nào đang mở.", "No consultation is open now.";
    cs_others: "Các đợt lấy ý kiến khác", "Other consultations";
    cs_subject: "Nội dung", "Subject";
    cs_period: "Thời gian góp ý", "Comment period";
    cs_who: "Ai được góp ý", "Who may take part";
    cs_comment_whole: "Góp ý cho dự thảo", "Comment on the draft";
    cs_read_comments: "Xem các ý kiến", "Read the comments";
    cs_comment_part: "Góp ý điều này", "Comment on this part";
    cs_statements_link: "Biểu quyết các nhận định", "Vote on short statements";
    cs_synthesis_link: "Báo cáo tiếp thu, giải trình", "Synthesis report";
    cs_disclosure_link: "Nội dung công khai của đợt lấy ý kiến này", "This consultation's public disclosure";
    cs_stat_comments: "ý kiến", "comments";
    cs_stat_participants: "người tham gia", "participants";
    cs_stat_votes: "lượt biểu quyết", "votes";
    cs_by_channel: "Theo hình thức:", "By channel:";
    cs_hidden_intro: "Ý kiến bị ẩn và lý do:", "Comments hidden, and why:";
    cs_hidden_note: "Số ý kiến bị ẩn:", "Comments hidden:";
    cs_hidden_why: "Xem lý do", "See why";
    cs_draft: "Dự thảo", "The draft";
    cs_toc: "Mục lục", "Contents";
    cs_unstructured: "Dự thảo này không chia được thành các điều nên được đăng nguyên văn; bạn góp ý cho cả dự thảo.", "This draft could not be split into articles, so it is shown whole; comment on the whole draft.";
    cs_whole_comments: "Ý kiến về cả dự thảo:", "Comments on the whole draft:";
    cs_whole_draft: "Cả dự thảo", "The whole draft";
    cs_statements_title: "Các nhận định để biểu quyết", "Short statements to vote on";
    cs_statements_intro: "Mỗi nhận định là một câu ngắn về dự thảo. Với mỗi nhận định, hãy chọn Đồng ý, Không đồng ý hoặc Bỏ qua. Bạn có thể đổi lựa chọn đến khi hết hạn góp ý.", "For each statement choose Agree, Disagree or Pass. You may change your choice until the consultation closes.";
    cs_agree: "Đồng ý", "Agree";
    cs_disagree: "Không đồng ý", "Disagree";
    cs_pass: "Bỏ qua", "Pass";
    cs_no_majority: "chưa có đa số", "no majority yet";
    cs_voted_count: "Bạn đã biểu quyết:", "You have voted on:";
    cs_no_statements: "Chưa có nhận định nào được duyệt.", "No statement has been approved yet.";
    cs_propose_title: "Đề xuất một nhận định", "Propose a statement";
    cs_propose_label: "Nhận định của bạn, viết ngắn gọn trong một câu", "Your statement, in one short sentence";
    cs_propose_hint: "Nhận định được đăng sau khi cán bộ duyệt. Tối đa ký tự:", "It is shown once a moderator approves it. Maximum characters:";
    cs_propose_send: "Gửi đề xuất", "Send the statement";
    cs_groups_title: "Các nhóm ý kiến", "Opinion groups";
    cs_groups_intro: "Người tham gia có cách biểu quyết giống nhau được xếp cùng nhóm. Mỗi chấm là một người; chữ cái là tên nhóm.", "Participants who vote alike are put in the same group. Each dot is a person; the letter names the group.";
    cs_group: "Nhóm", "Group";
    cs_people: "người", "people";
    cs_consensus: "Các nhóm cùng đồng thuận", "Where all groups agree";
    cs_see_changes: "Xem thay đổi so với bản trước", "See what changed from the previous version";
    cs_comments_title: "Các ý kiến góp ý", "Comments";
    cs_form_title: "Gửi ý kiến của bạn", "Send your comment";
    cs_form_part: "Góp ý cho", "Comment on";
    cs_form_body: "Nội dung góp ý", "Your comment";
    cs_form_body_hint: "Viết rõ bạn đồng ý, không đồng ý hay đề nghị sửa thế nào. Tối đa ký tự:", "Say what you agree with, disagree with, or would change. Maximum characters:";
    cs_form_name: "Tên hiển thị (không bắt buộc)", "Display name (optional)";
    cs_form_name_hint: "Nếu để trống, ý kiến hiện là của \"một người dân\" ở thôn của bạn. Không ghi số CCCD.", "Left empty, the comment shows as from \"a resident\" of your village. Never write a citizen ID.";
    cs_form_send: "Gửi góp ý", "Send the comment";
    cs_no_comments: "Chưa có ý kiến nào.", "No comments yet.";
    cs_first_page: "Trang đầu", "First page";
    cs_next_page: "Xem tiếp", "More";
    cs_accepted: "Tiếp thu", "Accepted";
    cs_explained: "Giải trình", "Explained";
    cs_need_verify: "Đợt lấy ý kiến này dành cho người dân trên địa bàn. Hãy xác nhận bạn là người dân trước khi góp ý.", "This consultation is for residents. Confirm that you are a resident before commenting.";
    cs_verify_link: "Xác nhận là người dân", "Confirm you are a resident";
    cs_need_sign_in: "Đợt lấy ý kiến này dành cho cán bộ, người lao động của đơn vị. Hãy đăng nhập để góp ý.", "This consultation is for the unit's staff or workers. Sign in to comment.";
    cs_not_eligible: "Tài khoản của bạn không thuộc đơn vị lấy ý kiến nên không góp ý được trong đợt này.", "Your account does not belong to the consulting unit, so you cannot take part in this consultation.";
    cs_comment_saved: "Đã nhận ý kiến của bạn. Cảm ơn bạn đã góp ý.", "Your comment was received. Thank you.";
    cs_comment_same: "Bạn đã gửi ý kiến này trước đó; ý kiến được giữ một lần.", "You sent this comment before; it is kept once.";
    cs_statement_saved: "Đã nhận đề xuất; nhận định sẽ hiện sau khi được duyệt.", "Statement received; it will show once approved.";
    cs_vote_saved: "Đã ghi nhận biểu quyết của bạn.", "Your vote was recorded.";
    cs_verified: "Đã xác nhận bạn là người dân trên địa bàn. Bạn có thể góp ý và biểu quyết.", "You are confirmed as a resident. You may comment and vote.";
    cs_verify_title: "Xác nhận là người dân trên địa bàn", "Confirm you are a resident";
    cs_verify_intro: "Nhập số CCCD và ngày sinh để đối chiếu với sổ hộ của xã. Không cần tài khoản.", "Enter your citizen ID and birth date to be checked against the commune's household registry. No account is needed.";
    cs_verify_cccd: "Số căn cước công dân (12 chữ số)", "Citizen ID number (12 digits)";
    cs_verify_cccd_hint: "Chỉ dùng để đối chiếu, không lưu và không hiển thị.", "Used only for the check; never stored nor shown.";
    cs_verify_birth: "Ngày sinh", "Birth date";
    cs_verify_birth_hint: "Ví dụ 05/09/1968", "For example 05/09/1968";
    cs_verify_send: "Xác nhận", "Confirm";
    cs_verify_privacy: "Số CCCD chỉ được so sánh dưới dạng mã băm có khóa; trang công khai không bao giờ hiện số CCCD hay họ tên của bạn nếu bạn không chọn tên hiển thị.", "The citizen ID is compared only as a keyed hash; public pages never show it, nor your name unless you choose a display name.";
    cs_changes_title: "Thay đổi giữa các bản dự thảo", "Changes between versions";
    cs_changes_from: "Từ", "From";
    cs_changes_to: "đến", "to";
    cs_changes_show: "Xem", "Show";
    cs_changes_one: "Chọn hai bản khác nhau để xem thay đổi.", "Choose two different versions to see the changes.";
    cs_changes_count: "phần thay đổi", "parts changed";
    cs_changes_same: "phần giữ nguyên", "unchanged";
    cs_changes_preamble: "Phần mở đầu", "Preamble";
    cs_change_added: "thêm mới", "added";
    cs_change_removed: "bỏ", "removed";
    cs_change_changed: "sửa", "changed";
    cs_change_renumbered: "đổi số thứ tự", "renumbered";
    cs_back: "Quay lại đợt lấy ý kiến", "Back to the consultation";
}

/// A readable name for an audit action code (the code itself if unknown).
pub fn audit_action(lang: Lang, code: &str) -> String {
    let (vi, en) = match code {
        "account.login" => ("Đăng nhập", "Signed in"),
        "account.logout" => ("Đăng xuất", "Signed out"),
        "account.created" => ("Tạo tài khoản", "Account created"),
        "account.password_changed" => ("Đổi mật khẩu", "Password changed"),
        "account.password_reset" => ("Đặt lại mật khẩu", "Password reset"),
        "account.reset_requested" => ("Yêu cầu đặt lại mật khẩu", "Password reset requested"),
        "account.reset_link_issued" => ("Cấp đường dẫn đặt lại mật khẩu", "Reset link issued"),
        "role.granted" => ("Giao vai trò", "Role granted"),
        "role.revoked" => ("Thu hồi vai trò", "Role withdrawn"),
        "unit.village_created" => ("Thêm thôn, tổ dân phố", "Village added"),
        "unit.villages_ensured" => ("Thêm thôn, tổ dân phố (dòng lệnh)", "Villages added (command line)"),
        "unit.organisation_created" => ("Thêm cơ quan, đơn vị", "Organisation added"),
        "unit.contacts_changed" => ("Sửa thông tin liên hệ", "Contacts changed"),
        "household.import_uploaded" => ("Tải lên tệp hộ gia đình", "Household file uploaded"),
        "household.imported" => ("Nhập danh sách hộ", "Households imported"),
        "household.added" => ("Thêm hộ gia đình", "Household added"),
        "household.closed" => ("Ghi nhận hộ chuyển đi", "Household closed"),
        "info_request.filed" => ("Gửi yêu cầu cung cấp thông tin", "Information request filed"),
        "info_request.registered" => ("Ghi nhận yêu cầu cung cấp thông tin", "Information request registered"),
        "info_request.answered" => ("Cung cấp thông tin theo yêu cầu", "Information provided"),
        "info_request.refused" => ("Từ chối cung cấp thông tin", "Information request refused"),
        "info_request.extended" => ("Gia hạn giải quyết yêu cầu", "Information request extended"),
        "info_request.classified" => ("Phân loại yêu cầu cung cấp thông tin", "Information request classified"),
        "info_request.withdrawn" => ("Rút yêu cầu cung cấp thông tin", "Information request withdrawn"),
        "calendar.day_set" => ("Ghi ngày nghỉ, ngày làm bù", "Calendar day recorded"),
        "calendar.day_removed" => ("Xoá ngày nghỉ, ngày làm bù", "Calendar day removed"),
        "consultation.created" => ("Tạo đợt lấy ý kiến", "Consultation created"),
        "consultation.edited" => ("Sửa kế hoạch lấy ý kiến", "Consultation plan edited"),
        "consultation.published" => ("Công bố lấy ý kiến", "Consultation published"),
        "consultation.plan_sent" => ("Ghi ngày gửi kế hoạch lấy ý kiến", "Consultation plan sent"),
        "consultation.version_added" => ("Đăng phiên bản mới của dự thảo", "New draft version"),
        "consultation.opinion_entered" => ("Nhập ý kiến nhận ngoài mạng", "Offline opinion entered"),
        "consultation.comment_hidden" => ("Ẩn ý kiến góp ý", "Opinion hidden"),
        "consultation.responded" => ("Tiếp thu, giải trình ý kiến", "Opinion answered"),
        "consultation.group_responded" => ("Tiếp thu, giải trình nhóm ý kiến", "Group of opinions answered"),
        "consultation.statement_added" => ("Thêm nhận định biểu quyết", "Statement added"),
        "consultation.statement_moderated" => ("Duyệt nhận định", "Statement moderated"),
        "consultation.decision_recorded" => ("Ghi quyết định theo hoặc khác đa số", "Decision on a statement recorded"),
        "consultation.synthesised" => ("Công bố kết quả tiếp thu, giải trình", "Synthesis published"),
        "demo.loaded" => ("Nạp dữ liệu mẫu", "Demo data loaded"),
        _ => return code.to_string(),
    };
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_have_names_and_unknown_codes_pass_through() {
        assert_eq!(audit_action(Lang::Vi, "unit.village_created"), "Thêm thôn, tổ dân phố");
        assert_eq!(audit_action(Lang::En, "role.revoked"), "Role withdrawn");
        assert_eq!(audit_action(Lang::Vi, "x.y"), "x.y");
    }

    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(fill("{} / {}", &["1", "2"]), "1 / 2");
        assert_eq!(fill("no args", &[]), "no args");
        assert_eq!(fill("{} x", &[]), " x");
    }

    #[test]
    fn placeholder_counts_match_between_languages() {
        let vi = format!("{VI:?}");
        let en = format!("{EN:?}");
        // Compare field by field: the Debug output lists fields in order.
        let fields = |s: &str| -> Vec<usize> { s.split("\", ").map(|f| f.matches("{}").count()).collect() };
        assert_eq!(fields(&vi), fields(&en));
    }

    #[test]
    fn vietnamese_strings_are_nfc() {
        let vi = format!("{VI:?}");
        assert_eq!(vi, danchu_domain::text::nfc(&vi));
    }
}
