//! The widget's two languages: Vietnamese first, English second.
//!
//! Every user-facing string is written in place as a pair (`lang.pick("Tiếp tục", "Continue")`),
//! so a reader sees both at once and a missing translation cannot compile.

use kc_rules::{Confidence, Fund, Line, Outcome, Status, Text};
use serde::{Deserialize, Serialize};

/// The display language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// From an attribute value: anything starting with `en` is English, the rest Vietnamese.
    pub fn from_attr(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Vi }
    }

    /// The BCP 47 tag for `lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Picks the string of this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Picks from an engine [`Text`].
    pub fn text(self, t: &Text) -> &str {
        self.pick(&t.vi, &t.en)
    }

    /// Name of a support line.
    pub fn line(self, line: Line) -> &'static str {
        match line {
            Line::Machinery => self.pick("Ứng dụng máy móc, thiết bị tiên tiến", "Advanced machinery and equipment"),
            Line::TechnologyLine => self.pick("Dây chuyền công nghệ", "Technology line"),
            Line::DemoModel => self.pick("Mô hình trình diễn kỹ thuật", "Technical demonstration model"),
            Line::ReplicationModel => self.pick("Mô hình nhân rộng", "Replication model"),
            Line::CleanerProductionModel => {
                self.pick("Mô hình thí điểm sản xuất sạch hơn", "Cleaner production pilot model")
            }
            Line::Startup => self.pick("Hỗ trợ thành lập doanh nghiệp", "Founding an enterprise"),
            Line::Training => self.pick("Đào tạo nghề, truyền nghề", "Vocational training and skill transfer"),
        }
    }

    /// The overall outcome in words.
    pub fn outcome(self, o: Outcome) -> &'static str {
        match o {
            Outcome::Eligible => self.pick("Đủ điều kiện hỗ trợ", "Eligible for support"),
            Outcome::NotEligible => self.pick("Chưa đủ điều kiện hỗ trợ", "Not eligible"),
            Outcome::NeedMoreAnswers => self.pick("Cần thêm thông tin", "More answers needed"),
        }
    }

    /// Mark and word of a criterion status (the mark is never the only signal).
    pub fn status(self, s: Status) -> (&'static str, &'static str) {
        match s {
            Status::Met => ("✓", self.pick("Đạt", "Met")),
            Status::NotMet => ("✗", self.pick("Không đạt", "Not met")),
            Status::Unknown => ("?", self.pick("Chưa rõ", "Unknown")),
        }
    }

    /// The fund in words.
    pub fn fund(self, f: Fund) -> &'static str {
        match f {
            Fund::National => self.pick("Kinh phí khuyến công quốc gia", "National industrial-extension fund"),
            Fund::Local => self.pick("Kinh phí khuyến công địa phương (tỉnh)", "Provincial industrial-extension fund"),
        }
    }

    /// The confidence mark explained.
    pub fn confidence(self, c: Confidence) -> &'static str {
        match c {
            Confidence::V => self.pick("đã đối chiếu văn bản gốc", "checked against the legal text"),
            Confidence::S => self.pick("theo nguồn thứ cấp, cần đối chiếu", "from a secondary source"),
            Confidence::R => self.pick("chưa kiểm chứng, chỉ để tham khảo", "not verified, for reference"),
        }
    }

    /// Name of a criterion id.
    pub fn criterion(self, id: &str) -> String {
        let s = match id {
            "subject" => self.pick("Đối tượng được hỗ trợ", "Eligible kind of establishment"),
            "sme_size" => self.pick("Quy mô doanh nghiệp nhỏ và vừa", "Small or medium enterprise size"),
            "location" => self.pick("Địa bàn sản xuất", "Place of production"),
            "sector" => self.pick("Ngành nghề sản xuất", "Sector of production"),
            "equipment_new" => self.pick("Máy móc, thiết bị mới", "New machinery and equipment"),
            "no_double_funding" => self.pick("Không trùng nguồn ngân sách", "No double state funding"),
            "counterpart_funding" => self.pick("Vốn đối ứng", "Counterpart funding"),
            "technology_new_locally" => self.pick("Công nghệ mới tại địa phương", "Technology new locally"),
            "startup_area" => self.pick("Địa bàn khó khăn (thành lập doanh nghiệp)", "Difficult area (founding)"),
            other => return other.replace('_', " "),
        };
        s.to_owned()
    }
}
