//! Every label the staff side shows for an engine or workflow id, Vietnamese first.
//!
//! One function, [`label`], takes the kind of id and the wire id string and gives the
//! Vietnamese and English texts: engine ids from `kc_rules::vocab`, review states from
//! `kc_api::ReviewState`, the rest from the table below. Ids without a label come back as
//! themselves, so nothing is ever hidden, but the e2e tests check that no known id does.

use super::html::Lang;

/// What kind of id is being labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A criterion of the decision (`subject`, `no_double_funding`, …).
    Criterion,
    /// An answer path (`conditions.equipment_new`, `lines.machinery.cost`, …), as a statement.
    Answer,
    /// A review state (`received`, …).
    State,
    /// An outcome (`eligible`, …).
    Outcome,
    /// A support line (`machinery`, …).
    Line,
    /// A kind of establishment (`household_business`, …).
    Subject,
    /// A fund (`national`, `local`).
    Fund,
    /// A former kind of administrative unit (`xa`, …).
    OldUnit,
    /// The SME size sector group.
    SizeSector,
    /// A staff role.
    Role,
    /// An audit action (`login_failed`, `state_change`, …).
    Audit,
}

/// The Vietnamese and English label of `id`, if it has one. Engine ids take their words
/// from the engine's one vocabulary (`kc_rules::vocab`), review states from `kc_api`; the
/// staff side's own ids (answers as statements, roles, audit actions) are labelled here.
pub fn lookup(kind: Kind, id: &str) -> Option<(&'static str, &'static str)> {
    use Kind::*;
    use kc_rules::vocab as v;
    macro_rules! engine {
        ($t:ty) => {
            return <$t>::from_id(id).map(|x| (x.label_vi(), x.label_en()))
        };
    }
    match kind {
        Criterion => engine!(v::CriterionId),
        Line => engine!(v::Line),
        Subject => engine!(v::Subject),
        Fund => engine!(v::Fund),
        OldUnit => engine!(v::OldUnit),
        SizeSector => engine!(v::SizeSector),
        Outcome => engine!(v::Outcome),
        State => engine!(kc_api::ReviewState),
        Answer | Role | Audit => {}
    }
    Some(match (kind, id) {
        (Answer, "subject") => ("Loại hình cơ sở", "Kind of establishment"),
        (Answer, "location.commune_code") => ("Xã, phường, đặc khu nơi sản xuất", "Commune of production"),
        (Answer, "location.craft_village") => ("Trong làng nghề được công nhận", "Inside a recognised craft village"),
        (Answer, "location.former_province") => ("Tỉnh cũ (trước sáp nhập)", "Former province (before the merger)"),
        (Answer, "location.difficult_area") => {
            ("Địa bàn có điều kiện kinh tế - xã hội khó khăn", "Area with difficult conditions")
        }
        (Answer, "location.old_unit") => ("Loại đơn vị hành chính trước 15/10/2025", "Kind of unit before 15 Oct 2025"),
        (Answer, "location.ward_converted_on") => ("Ngày phường được chuyển từ xã", "Date the ward was converted"),
        (Answer, "sector") => ("Ngành nghề sản xuất", "Sector of production"),
        (Answer, "fired_clay_manual_kiln") => {
            ("Gạch đất sét nung bằng lò thủ công", "Fired-clay bricks in manual kilns")
        }
        (Answer, "size.sector_group") => ("Nhóm ngành kinh doanh chính", "Main business group"),
        (Answer, "size.employees") => {
            ("Số lao động có BHXH bình quân năm trước", "Average insured employees last year")
        }
        (Answer, "size.revenue") => ("Tổng doanh thu năm trước", "Total revenue last year"),
        (Answer, "size.capital") => ("Tổng nguồn vốn cuối năm trước", "Total capital at last year's end"),
        (Answer, "conditions.equipment_new") => {
            ("Máy móc, thiết bị mới, chưa qua sử dụng", "Machinery is new, never used")
        }
        (Answer, "conditions.no_other_state_funding") => {
            ("Không được ngân sách nhà nước khác hỗ trợ cho khoản chi này", "No other state budget funds this cost")
        }
        (Answer, "conditions.counterpart_funding") => ("Cam kết bố trí vốn đối ứng", "Commits the counterpart funding"),
        (Answer, "conditions.technology_new_locally") => {
            ("Công nghệ, sản phẩm chưa được áp dụng tại địa phương", "Technology not yet applied locally")
        }
        (Answer, "priority.women_owned") => ("Chủ cơ sở là nữ", "Owned by a woman"),
        (Answer, "priority.ethnic_minority_owned") => {
            ("Chủ cơ sở là người dân tộc thiểu số", "Owned by an ethnic-minority person")
        }
        (Answer, "priority.ethnic_minority_workers") => {
            ("Sử dụng nhiều lao động dân tộc thiểu số", "Employs many ethnic-minority workers")
        }
        (Answer, "priority.ethnic_minority_area") => ("Ở vùng đồng bào dân tộc thiểu số", "In an ethnic-minority area"),
        (Answer, "priority.typical_rural_product") => {
            ("Sản phẩm công nghiệp nông thôn tiêu biểu", "Typical rural industrial product")
        }
        (Answer, "priority.exports") => ("Có sản phẩm xuất khẩu", "Exports products"),
        (Answer, "priority.local_materials_percent") => {
            ("Tỷ lệ nguyên liệu tại chỗ (%)", "Share of local materials (%)")
        }
        (Answer, "priority.workers") => ("Số lao động thường xuyên", "Regular workers"),
        (Answer, "lines.training.learners") => ("Số học viên dự kiến", "Expected learners"),
        (Answer, "lines.machinery.cost") => ("Chi phí: máy móc thiết bị tiên tiến", "Cost: advanced machinery"),
        (Answer, "lines.technology_line.cost") => ("Chi phí: dây chuyền công nghệ", "Cost: technology line"),
        (Answer, "lines.demo_model.cost") => ("Chi phí: mô hình trình diễn", "Cost: demonstration model"),
        (Answer, "lines.replication_model.cost") => ("Chi phí: mô hình nhân rộng", "Cost: replication model"),
        (Answer, "lines.cleaner_production_model.cost") => ("Chi phí: sản xuất sạch hơn", "Cost: cleaner production"),
        (Answer, "lines.startup.cost") => ("Chi phí: thành lập doanh nghiệp", "Cost: founding an enterprise"),
        (Answer, "lines.training.cost") => ("Chi phí: đào tạo nghề", "Cost: vocational training"),

        (Role, "admin") => ("Quản trị", "Administrator"),
        (Role, "province_staff") => ("Cán bộ tỉnh", "Province officer"),
        (Role, "viewer") => ("Chỉ xem", "Viewer"),

        (Audit, "login") => ("Đăng nhập", "Login"),
        (Audit, "login_failed") => ("Đăng nhập sai", "Failed login"),
        (Audit, "login_locked") => ("Khoá đăng nhập", "Login locked"),
        (Audit, "logout") => ("Đăng xuất", "Logout"),
        (Audit, "state_change") => ("Đổi trạng thái", "Status change"),
        (Audit, "comment") => ("Ghi ý kiến", "Comment"),
        (Audit, "assign") => ("Phân công", "Assignment"),
        (Audit, "correction") => ("Sửa câu trả lời", "Answer correction"),
        (Audit, "export") => ("Xuất dữ liệu", "Export"),
        (Audit, "token_create") => ("Tạo mã API", "API token created"),
        (Audit, "token_revoke") => ("Thu hồi mã API", "API token revoked"),
        (Audit, "account_create") => ("Tạo tài khoản", "Account created"),
        (Audit, "account_update") => ("Sửa tài khoản", "Account changed"),
        (Audit, "account_disable") => ("Khoá tài khoản", "Account disabled"),
        (Audit, "account_enable") => ("Mở khoá tài khoản", "Account enabled"),
        (Audit, "password_reset") => ("Đặt lại mật khẩu", "Password reset"),
        (Audit, "password_change") => ("Đổi mật khẩu", "Password changed"),
        (Audit, "plan_set") => ("Đặt kế hoạch kinh phí", "Fund plan set"),
        (Audit, "impact_report") => ("Xem ảnh hưởng của bộ quy tắc mới", "Candidate pack impact report"),
        _ => return None,
    })
}

/// The label of `id` in `lang` (the id itself when it has none).
pub fn label(lang: Lang, kind: Kind, id: &str) -> String {
    match lookup(kind, id) {
        Some((vi, en)) => lang.t(vi, en).to_owned(),
        None => id.to_owned(),
    }
}

/// "Vietnamese / English" (for the audit log, whose readers may need either).
pub fn both(kind: Kind, id: &str) -> String {
    match lookup(kind, id) {
        Some((vi, en)) => format!("{vi} / {en}"),
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_criterion_and_line_has_a_label() {
        for l in kc_rules::Line::ALL {
            assert!(lookup(Kind::Line, l.id()).is_some(), "{}", l.id());
            assert!(lookup(Kind::Answer, &format!("lines.{}.cost", l.id())).is_some(), "{}", l.id());
        }
        for id in [
            "subject",
            "sme_size",
            "location",
            "sector",
            "equipment_new",
            "no_double_funding",
            "counterpart_funding",
            "technology_new_locally",
            "startup_area",
        ] {
            assert!(lookup(Kind::Criterion, id).is_some(), "{id}");
        }
        assert_eq!(label(Lang::Vi, Kind::State, "bogus"), "bogus");
        assert_eq!(both(Kind::Audit, "login_failed"), "Đăng nhập sai / Failed login");
    }
}
