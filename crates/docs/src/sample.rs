//! A sample document for the demo and the tests (illustrative data, not a real plan).

use crate::{Align, Block, Column, Document, Signature, Table};

/// The 14 categories a commune must disclose (Law 10/2022/QH15 Art. 11, legal-spec R1.1), shortened.
const CATEGORIES: [&str; 15] = [
    "Kế hoạch phát triển kinh tế - xã hội hằng năm và kết quả thực hiện",
    "Dự toán ngân sách xã và tình hình thực hiện ngân sách",
    "Quyết toán ngân sách xã và kết quả thực hiện kiến nghị của Kiểm toán nhà nước",
    "Dự án đầu tư, tiến độ thực hiện; phương án bồi thường, hỗ trợ, tái định cư",
    "Quy chế thực hiện dân chủ ở cơ sở; nhiệm vụ của cán bộ, công chức xã",
    "Quản lý, sử dụng các loại quỹ, khoản đầu tư, tài trợ; các khoản huy động Nhân dân đóng góp",
    "Quản lý, sử dụng tài sản công và nguồn thu từ tài sản công",
    "Chính sách, đối tượng, kết quả bình xét hỗ trợ, trợ cấp, an sinh xã hội",
    "Đối tượng, mức hỗ trợ cứu trợ của Nhà nước khi xảy ra thiên tai, dịch bệnh",
    "Chỉ tiêu, danh sách công dân thực hiện nghĩa vụ quân sự, nghĩa vụ tham gia Công an nhân dân",
    "Kết quả thanh tra, kiểm tra; kết quả lấy phiếu tín nhiệm",
    "Kế hoạch lấy ý kiến, tổng hợp ý kiến và giải trình, tiếp thu ý kiến của Nhân dân",
    "Đối tượng, mức thu phí, lệ phí và nghĩa vụ tài chính do xã trực tiếp thu",
    "Thủ tục hành chính giải quyết tại Ủy ban nhân dân xã",
    "Nội dung khác theo quy định của pháp luật và quy chế thực hiện dân chủ của xã",
];

const QUARTERS: [&str; 4] = ["quý I", "quý II", "quý III", "quý IV"];

fn form(category: usize) -> &'static str {
    match category {
        // Items 4 and 13 of Art. 11: posted permanently and updated when they change.
        4 | 13 => "Niêm yết thường xuyên tại trụ sở xã; Trang thông tin điện tử",
        // Items 7–12: also broadcast for at least 3 consecutive days and passed on by village heads.
        7..=12 => "Niêm yết 30 ngày; truyền thanh 03 ngày; qua Trưởng thôn",
        _ => "Niêm yết 30 ngày tại trụ sở xã, nhà văn hóa thôn",
    }
}

/// "Kế hoạch công khai thông tin năm 2026" of UBND xã Hạc Thành (illustrative), with a 60-row table.
pub fn sample_document() -> Document {
    let rows: Vec<Vec<String>> = (0..60)
        .map(|i| {
            let category = i % CATEGORIES.len();
            let quarter = i / CATEGORIES.len();
            vec![(i + 1).to_string(), format!("{} ({} năm 2026)", CATEGORIES[category], QUARTERS[quarter]), form(category).to_string()]
        })
        .collect();
    Document {
        issuer_parent: Some("UBND TỈNH THANH HÓA".into()),
        issuer: "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH".into(),
        number: Some("Số: 12/KH-UBND".into()),
        place_date: "Hạc Thành, ngày 28 tháng 11 năm 2026".into(),
        kind_title: "KẾ HOẠCH".into(),
        subject: Some("Công khai thông tin năm 2026".into()),
        blocks: vec![
            Block::Paragraph("Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022;".into()),
            Block::Paragraph(
                "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định chi tiết một số điều \
                 của Luật Thực hiện dân chủ ở cơ sở;"
                    .into(),
            ),
            Block::Paragraph("Ủy ban nhân dân xã Hạc Thành ban hành Kế hoạch công khai thông tin năm 2026 như sau:".into()),
            Block::Heading("I. MỤC ĐÍCH, YÊU CẦU".into()),
            Block::Bullet(
                "Bảo đảm quyền được biết của Nhân dân về những nội dung chính quyền địa phương cấp xã phải công khai \
                 theo quy định tại Điều 11 Luật Thực hiện dân chủ ở cơ sở."
                    .into(),
            ),
            Block::Bullet(
                "Thông tin công khai phải chính xác, đầy đủ, kịp thời, đúng hình thức và thời hạn; ngôn ngữ dễ hiểu, \
                 thuận tiện cho người dân tiếp cận, theo dõi và giám sát."
                    .into(),
            ),
            Block::Heading("II. NỘI DUNG, HÌNH THỨC VÀ THỜI HẠN CÔNG KHAI".into()),
            Block::Paragraph(
                "Nội dung, hình thức và thời hạn công khai thông tin năm 2026 được xác định theo Điều 11, Điều 12 và \
                 Điều 13 Luật Thực hiện dân chủ ở cơ sở; thông tin được công khai chậm nhất 05 ngày làm việc kể từ \
                 ngày văn bản được ban hành, cụ thể tại bảng sau:"
                    .into(),
            ),
            Block::Table(Table {
                columns: vec![
                    Column::new("STT", 1).aligned(Align::Center),
                    Column::new("Nội dung thông tin công khai", 8),
                    Column::new("Hình thức, thời hạn công khai", 5),
                ],
                rows,
            }),
            Block::Heading("III. TỔ CHỨC THỰC HIỆN".into()),
            Block::Paragraph(
                "1. Văn phòng HĐND và UBND xã chủ trì, phối hợp với các công chức chuyên môn tổ chức niêm yết, \
                 đăng tải thông tin đúng thời hạn; mỗi quý lập danh mục thông tin đã công khai, hình thức và thời \
                 điểm công khai, niêm yết tại trụ sở và nhà văn hóa các thôn."
                    .into(),
            ),
            Block::Paragraph(
                "2. Trưởng các thôn có trách nhiệm thông tin đến Nhân dân những nội dung phải công khai qua hội nghị \
                 thôn, hệ thống truyền thanh, tin nhắn hoặc mạng xã hội được cộng đồng thống nhất sử dụng."
                    .into(),
            ),
            Block::Paragraph(
                "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã và Ban Thanh tra nhân dân giám sát việc thực hiện \
                 Kế hoạch này."
                    .into(),
            ),
            Block::Paragraph(
                "Trên đây là Kế hoạch công khai thông tin năm 2026 của Ủy ban nhân dân xã Hạc Thành. Trong quá trình \
                 thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Văn phòng HĐND và UBND xã để \
                 tổng hợp, báo cáo Chủ tịch UBND xã xem xét, giải quyết./."
                    .into(),
            ),
        ],
        recipients: vec![
            "Thường trực Đảng ủy xã (b/c)".into(),
            "Thường trực HĐND xã (b/c)".into(),
            "Ủy ban MTTQ Việt Nam xã".into(),
            "Ban Thanh tra nhân dân xã".into(),
            "Các thôn trên địa bàn xã".into(),
            "Lưu: VT.".into(),
        ],
        signature: Signature {
            authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: "Nguyễn Văn An".into()
        },
        draft_watermark: Some("Bản in từ danchu – dữ liệu minh họa".into()),
        orientation: Default::default(),
    }
}
