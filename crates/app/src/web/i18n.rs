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
