//! The engine's vocabulary: every id it writes on the wire, typed, with its Vietnamese and
//! English label in one place.
//!
//! Each enum serialises to today's wire strings (`"sme_size"`, `"lines.machinery.cost"`) in
//! human-readable formats and to its index in binary ones (the bundled postcard pack), so the
//! wire is unchanged and a misspelt id is a compile error. Pages, exports and the CLI show
//! [`label_vi`](CriterionId::label_vi) / [`label_en`](CriterionId::label_en), never the id;
//! [`from_id`](CriterionId::from_id) looks a wire string up.
//!
//! Parameter ids ([`ParamId`]) are typed too; their labels are data (each parameter's
//! `label_vi` / `label_en` in the rule pack), so they live there, once.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Defines a closed vocabulary: `Variant = "wire id", "nhãn tiếng Việt", "English label";`.
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal, $vi:literal, $en:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// How many ids there are.
            pub const COUNT: usize = [$($id,)*].len();
            /// Every id, in declaration order (for questions: the asking order).
            pub const ALL: [$name; Self::COUNT] = [$($name::$variant,)*];
            const IDS: &'static [&'static str] = &[$($id,)*];

            /// The wire id.
            pub const fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)* }
            }

            /// The wire id (as [`Self::id`], for code written when ids were strings).
            pub const fn as_str(self) -> &'static str {
                self.id()
            }

            /// The Vietnamese label.
            pub const fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi,)* }
            }

            /// The English label.
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)* }
            }

            /// The id of a wire string, if it is one.
            pub fn from_id(id: &str) -> Option<$name> {
                match id {
                    $($id => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        wire!($name);
    };
}

/// Serde, `Display`, `Deref<Target = str>` and string comparison for a vocabulary enum with
/// `ALL`, `IDS`, `id()` and `from_id()`.
macro_rules! wire {
    ($name:ident) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.serialize_str(self.id())
                } else {
                    let index = $name::ALL.iter().position(|v| v == self).unwrap_or(0);
                    s.serialize_u8(u8::try_from(index).unwrap_or(u8::MAX))
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " id"))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_id(v).ok_or_else(|| E::unknown_variant(v, $name::IDS))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        usize::try_from(v)
                            .ok()
                            .and_then(|i| $name::ALL.get(i).copied())
                            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
                    }
                }
                if d.is_human_readable() { d.deserialize_str(V) } else { d.deserialize_u8(V) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.id()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.id() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.id() == *other
            }
        }
    };
}

vocab! {
    /// A support line (nội dung hỗ trợ) the applicant asks for.
    pub enum Line {
        /// Application of advanced machinery / equipment.
        Machinery = "machinery", "Ứng dụng máy móc, thiết bị tiên tiến", "Advanced machinery and equipment";
        /// A technology line.
        TechnologyLine = "technology_line", "Dây chuyền công nghệ", "Technology line";
        /// Technical demonstration model for a new technology / product.
        DemoModel = "demo_model", "Mô hình trình diễn kỹ thuật", "Technical demonstration model";
        /// Model at an efficient establishment, for replication.
        ReplicationModel = "replication_model", "Mô hình nhân rộng", "Replication model";
        /// Pilot model of cleaner / sustainable production.
        CleanerProductionModel = "cleaner_production_model", "Mô hình thí điểm sản xuất sạch hơn", "Cleaner production pilot model";
        /// Founding a rural industrial enterprise in a difficult area.
        Startup = "startup", "Hỗ trợ thành lập doanh nghiệp", "Founding an enterprise";
        /// Vocational training and skill transfer.
        Training = "training", "Đào tạo nghề, truyền nghề", "Vocational training and skill transfer";
    }
}

vocab! {
    /// The kind of establishment (Decree 45/2012 Art. 1 cl. 2, as amended by Decree 235/2025).
    pub enum Subject {
        /// An enterprise; must be an SME unless on the cleaner-production line.
        Enterprise = "enterprise", "Doanh nghiệp", "Enterprise";
        /// Hợp tác xã.
        Cooperative = "cooperative", "Hợp tác xã", "Cooperative";
        /// Tổ hợp tác.
        CooperativeGroup = "cooperative_group", "Tổ hợp tác", "Cooperative group";
        /// Liên hiệp hợp tác xã (a subject from 2025-10-15).
        UnionOfCooperatives = "union_of_cooperatives", "Liên hiệp hợp tác xã", "Union of cooperatives";
        /// Hộ kinh doanh.
        HouseholdBusiness = "household_business", "Hộ kinh doanh", "Household business";
        /// A person or group without a registered establishment.
        Unregistered = "unregistered", "Cá nhân, nhóm chưa đăng ký kinh doanh", "Person or group, not registered";
    }
}

vocab! {
    /// The sector group that sets the SME thresholds (Decree 80/2021 Art. 5, 6).
    pub enum SizeSector {
        /// Agriculture, forestry, fisheries; industry and construction.
        AgricultureIndustryConstruction = "agriculture_industry_construction",
            "Nông, lâm nghiệp, thủy sản; công nghiệp và xây dựng",
            "Agriculture, forestry, fisheries; industry and construction";
        /// Trade and services.
        TradeServices = "trade_services", "Thương mại, dịch vụ", "Trade and services";
    }
}

vocab! {
    /// The place of production before 2025-10-15, as the applicant declares it.
    pub enum OldUnit {
        /// A commune (xã) of a district (huyện).
        Xa = "xa", "Xã thuộc huyện", "Commune of a district";
        /// A township (thị trấn).
        ThiTran = "thi_tran", "Thị trấn", "Township";
        /// A ward or commune of a district-level town (thị xã).
        ThiXa = "thi_xa", "Phường, xã thuộc thị xã", "Ward or commune of a district-level town";
        /// A ward of a grade-2 or grade-3 city.
        PhuongCityGrade2Or3 = "phuong_city_grade2_or3", "Phường của thành phố loại II, III", "Ward of a grade-2 or grade-3 city";
        /// A ward of a grade-1 city (eligible only if converted from a commune recently).
        PhuongCityGrade1 = "phuong_city_grade1", "Phường của thành phố loại I", "Ward of a grade-1 city";
        /// A ward of an urban district (quận) of a centrally-run city.
        PhuongQuan = "phuong_quan", "Phường thuộc quận", "Ward of an urban district";
    }
}

vocab! {
    /// Commune-level unit type after 2025.
    pub enum CommuneKind {
        /// Xã.
        Xa = "xa", "xã", "commune";
        /// Phường.
        Phuong = "phuong", "phường", "ward";
        /// Đặc khu.
        DacKhu = "dac_khu", "đặc khu", "special zone";
    }
}

vocab! {
    /// Province-level unit type after 2025.
    pub enum ProvinceKind {
        /// Tỉnh (28 of them).
        Tinh = "tinh", "tỉnh", "province";
        /// Thành phố trực thuộc trung ương (6 centrally-run cities).
        ThanhPhoTrucThuocTrungUong = "thanh_pho_truc_thuoc_trung_uong", "thành phố trực thuộc trung ương", "centrally-run city";
    }
}

vocab! {
    /// How sure we are that a value is the law (the domain file's marks). Ordered: R < S < V.
    pub enum Confidence {
        /// Recalled or inferred; not verified.
        R = "R", "chưa kiểm chứng, chỉ để tham khảo", "not verified, for reference";
        /// Secondary: an official news item, summary, Q&A or provincial copy.
        S = "S", "theo nguồn thứ cấp, cần đối chiếu", "from a secondary source";
        /// Verified in the legal text itself.
        V = "V", "đã đối chiếu văn bản gốc", "checked against the legal text";
    }
}

impl Confidence {
    /// The weaker of two marks: a result is only as sure as its least sure input.
    pub fn min(self, other: Confidence) -> Confidence {
        Ord::min(self, other)
    }
}

vocab! {
    /// The overall answer.
    pub enum Outcome {
        /// Every criterion is met for at least one requested line.
        Eligible = "eligible", "Đủ điều kiện hỗ trợ", "Eligible for support";
        /// A criterion is not met for every requested line.
        NotEligible = "not_eligible", "Chưa đủ điều kiện hỗ trợ", "Not eligible";
        /// Nothing failed yet, but answers are missing.
        NeedMoreAnswers = "need_more_answers", "Cần thêm thông tin", "More answers needed";
    }
}

vocab! {
    /// The state of one criterion, line or fact.
    pub enum Status {
        /// Met.
        Met = "met", "Đạt", "Met";
        /// Not met.
        NotMet = "not_met", "Không đạt", "Not met";
        /// Cannot tell yet: an answer is missing.
        Unknown = "unknown", "Chưa rõ", "Unknown";
    }
}

impl Status {
    /// The status a yes-no answer gives: yes met, no not met, unanswered unknown.
    pub fn of_answer(answer: Option<bool>) -> Status {
        match answer {
            Some(true) => Status::Met,
            Some(false) => Status::NotMet,
            None => Status::Unknown,
        }
    }
}

vocab! {
    /// Which fund would pay.
    pub enum Fund {
        /// Khuyến công quốc gia (national, MOIT).
        National = "national", "Kinh phí khuyến công quốc gia", "National industrial-extension fund";
        /// Khuyến công địa phương (provincial budget, HĐND levels).
        Local = "local", "Kinh phí khuyến công địa phương (tỉnh)", "Provincial industrial-extension fund";
    }
}

vocab! {
    /// How the amount of a line was found.
    pub enum Basis {
        /// `min(rate × cost, cap × multiplier)`, rounded: a figure.
        Computed = "computed", "tính theo tỷ lệ và mức tối đa", "computed from the rate and the cap";
        /// Only a cap is known (no verified rate): `ceiling` is the most it can be.
        CeilingOnly = "ceiling_only", "chỉ biết mức tối đa", "only the cap is known";
        /// The province sets the amount and the pack has no value: no figure is invented.
        SetByProvince = "set_by_province", "do tỉnh quy định", "set by the province";
        /// Not enough answers yet (the cost is missing).
        NeedCost = "need_cost", "cần nhập chi phí", "the cost is needed";
        /// No value in force for this fund on this date.
        NoValue = "no_value", "không có mức của quỹ này vào ngày áp dụng", "no level of this fund on this date";
    }
}

vocab! {
    /// A legal criterion (docs/engine.md, "Criteria").
    pub enum CriterionId {
        /// Decree 45/2012 Art. 1 cl. 2 as amended.
        Subject = "subject", "Đối tượng được hỗ trợ", "Eligible kind of establishment";
        /// Law 04/2017 Art. 4; Decree 80/2021 Art. 5–9.
        SmeSize = "sme_size", "Quy mô doanh nghiệp nhỏ và vừa", "Small or medium enterprise size";
        /// Decree 235/2025 Art. 1 cl. 1; before, TT 46/2012 Art. 3 cl. 1.
        Location = "location", "Địa bàn sản xuất", "Place of production";
        /// Decree 45/2012 Art. 5 cl. 1; TT 46/2012 Art. 5.
        Sector = "sector", "Ngành nghề sản xuất", "Sector of production";
        /// TT 46/2012 Art. 4 cl. 4.
        EquipmentNew = "equipment_new", "Máy móc, thiết bị mới", "New machinery and equipment";
        /// TTLT 26/2014 Art. 7 cl. 4.
        NoDoubleFunding = "no_double_funding", "Không trùng nguồn ngân sách", "No double state funding";
        /// TTLT 26/2014 Art. 7 cl. 3.
        CounterpartFunding = "counterpart_funding", "Vốn đối ứng", "Counterpart funding";
        /// TT 46/2012 Art. 4 cl. 2.
        TechnologyNewLocally = "technology_new_locally", "Công nghệ mới tại địa phương", "Technology new locally";
        /// TT 28/2018 Art. 8 cl. 1.
        StartupArea = "startup_area", "Địa bàn khó khăn (thành lập doanh nghiệp)", "Difficult area (founding)";
    }
}

vocab! {
    /// A question the form can ask: the input path it fills. Declared in the asking order of
    /// docs/engine.md (the engine keeps that order; the widget shows them in it).
    pub enum QuestionId {
        /// Which lines.
        Lines = "lines", "Nội dung đề nghị hỗ trợ", "Support lines asked for";
        /// The kind of establishment.
        Subject = "subject", "Loại hình cơ sở", "Kind of establishment";
        /// The commune of production.
        CommuneCode = "location.commune_code", "Xã, phường, đặc khu nơi sản xuất", "Commune, ward or special zone of production";
        /// Before the reform: the kind of place.
        OldUnit = "location.old_unit", "Loại địa bàn trước cải cách", "Kind of place before the reform";
        /// Before the reform: when a grade-1 city ward was converted.
        WardConvertedOn = "location.ward_converted_on", "Ngày phường được chuyển từ xã", "Date the ward was converted from a commune";
        /// Inside a recognised craft village.
        CraftVillage = "location.craft_village", "Trong làng nghề được công nhận", "Inside a recognised craft village";
        /// The pre-2025 province (only when the commune does not tell).
        FormerProvince = "location.former_province", "Tỉnh cũ (trước khi hợp nhất)", "Former province (before the merger)";
        /// The sector.
        Sector = "sector", "Ngành nghề sản xuất", "Sector of production";
        /// Fired-clay bricks from manual or ring kilns.
        FiredClayManualKiln = "fired_clay_manual_kiln", "Gạch nung bằng lò thủ công cải tiến, lò vòng", "Bricks from improved manual or ring kilns";
        /// A difficult area.
        DifficultArea = "location.difficult_area", "Địa bàn có điều kiện kinh tế – xã hội khó khăn", "Area with difficult socio-economic conditions";
        /// The SME sector group.
        SizeSectorGroup = "size.sector_group", "Nhóm lĩnh vực của doanh nghiệp", "Sector group of the enterprise";
        /// Insured employees.
        Employees = "size.employees", "Số lao động tham gia bảo hiểm xã hội", "Employees with social insurance";
        /// Last year's revenue.
        Revenue = "size.revenue", "Doanh thu năm trước", "Last year's revenue";
        /// Total capital.
        Capital = "size.capital", "Tổng nguồn vốn", "Total capital";
        /// Cost of the machinery line.
        MachineryCost = "lines.machinery.cost", "Chi phí máy móc, thiết bị", "Cost of the machinery";
        /// Cost of the technology line.
        TechnologyLineCost = "lines.technology_line.cost", "Chi phí dây chuyền công nghệ", "Cost of the technology line";
        /// Cost of the demonstration model.
        DemoModelCost = "lines.demo_model.cost", "Chi phí mô hình trình diễn", "Cost of the demonstration model";
        /// Cost of the replication model.
        ReplicationModelCost = "lines.replication_model.cost", "Chi phí mô hình nhân rộng", "Cost of the replication model";
        /// Cost of the cleaner-production model.
        CleanerProductionModelCost = "lines.cleaner_production_model.cost", "Chi phí mô hình sản xuất sạch hơn", "Cost of the cleaner-production model";
        /// Founding costs.
        StartupCost = "lines.startup.cost", "Chi phí thành lập doanh nghiệp", "Founding costs";
        /// Course cost.
        TrainingCost = "lines.training.cost", "Chi phí khóa đào tạo", "Course cost";
        /// Learners.
        TrainingLearners = "lines.training.learners", "Số học viên", "Number of learners";
        /// New equipment.
        EquipmentNew = "conditions.equipment_new", "Máy móc, thiết bị mới", "New machinery and equipment";
        /// Technology new locally.
        TechnologyNewLocally = "conditions.technology_new_locally", "Công nghệ mới tại địa phương", "Technology new locally";
        /// No other state funding.
        NoOtherStateFunding = "conditions.no_other_state_funding", "Không nhận hỗ trợ ngân sách khác", "No other state funding";
        /// Counterpart funding.
        CounterpartFunding = "conditions.counterpart_funding", "Vốn đối ứng", "Counterpart funding";
    }
}

impl QuestionId {
    /// The cost question of a line.
    pub const fn cost(line: Line) -> QuestionId {
        match line {
            Line::Machinery => QuestionId::MachineryCost,
            Line::TechnologyLine => QuestionId::TechnologyLineCost,
            Line::DemoModel => QuestionId::DemoModelCost,
            Line::ReplicationModel => QuestionId::ReplicationModelCost,
            Line::CleanerProductionModel => QuestionId::CleanerProductionModelCost,
            Line::Startup => QuestionId::StartupCost,
            Line::Training => QuestionId::TrainingCost,
        }
    }

    /// The line whose cost this asks, if it is a cost question.
    pub fn cost_of(self) -> Option<Line> {
        Line::ALL.into_iter().find(|l| QuestionId::cost(*l) == self)
    }
}

vocab! {
    /// A priority fact (never changes eligibility).
    pub enum PriorityId {
        /// Decree 45/2012 Art. 6 cl. 1.
        DifficultArea = "difficult_area", "Địa bàn có điều kiện kinh tế – xã hội khó khăn", "Area with difficult socio-economic conditions";
        /// Decree 45/2012 Art. 6 cl. 1.
        EthnicMinorityArea = "ethnic_minority_area", "Vùng đồng bào dân tộc thiểu số, miền núi, biên giới, hải đảo", "Ethnic-minority, highland, border or island area";
        /// Decree 235/2025.
        WomenOwned = "women_owned", "Cơ sở do phụ nữ làm chủ", "Owned by a woman";
        /// Decree 235/2025.
        EthnicMinorityOwned = "ethnic_minority_owned", "Cơ sở do người dân tộc thiểu số làm chủ", "Owned by a member of an ethnic minority";
        /// TT 64/2024.
        EthnicMinorityWorkers = "ethnic_minority_workers", "Sử dụng lao động là người dân tộc thiểu số", "Employs ethnic-minority workers";
        /// Decree 45/2012 Art. 6 cl. 2 point a.
        PrioritySector = "priority_sector", "Ngành, nghề ưu tiên", "Priority sector";
        /// TT 46/2012 Art. 6.
        TypicalRuralProduct = "typical_rural_product", "Sản phẩm công nghiệp nông thôn tiêu biểu", "Typical rural industrial product";
        /// TT 46/2012 Art. 6.
        Exports = "exports", "Sản xuất hàng xuất khẩu", "Produces for export";
        /// TT 46/2012 Art. 6.
        LocalMaterials = "local_materials", "Dùng nguyên liệu tại chỗ", "Uses local raw materials";
        /// TT 46/2012 Art. 6.
        LabourIntensive = "labour_intensive", "Sử dụng nhiều lao động", "Labour-intensive";
    }
}

impl PriorityId {
    /// Facts of priority areas (Decree 45/2012 Art. 6 cl. 1) and sectors (cl. 2) that a dated
    /// priority multiplier may reward (TTLT 26/2014 Art. 6 cl. 2 point t: priority
    /// programmes, areas and sectors). No answer says "priority programme" yet.
    pub fn rewarded(self) -> bool {
        !matches!(self, PriorityId::WomenOwned | PriorityId::EthnicMinorityOwned | PriorityId::EthnicMinorityWorkers)
    }
}

vocab! {
    /// A counterfactual hint.
    pub enum HintId {
        /// Costs above the binding point add nothing.
        CapBinds = "cap_binds", "Mức tối đa đã áp dụng", "The cap binds";
        /// Support still grows with the cost.
        CapRoom = "cap_room", "Hỗ trợ còn tăng theo chi phí", "Support still grows with the cost";
        /// As a technology line the cap is higher.
        TechnologyLineCap = "technology_line_cap", "Mức tối đa của dây chuyền công nghệ", "Technology-line cap";
        /// A ward of a centrally-run city: only inside a craft village.
        CityWardCraftVillage = "city_ward_craft_village", "Phường của thành phố trực thuộc trung ương", "Ward of a centrally-run city";
        /// Unions of cooperatives from the reform.
        UnionFrom2025 = "union_from_2025", "Liên hiệp hợp tác xã từ Nghị định 235/2025", "Unions of cooperatives from Decree 235/2025";
        /// Large enterprises: only the cleaner-production line.
        LargeEnterprise = "large_enterprise", "Doanh nghiệp lớn", "Large enterprise";
        /// An excluded sector.
        SectorExcluded = "sector_excluded", "Ngành không được hỗ trợ", "Excluded sector";
        /// Unfired building materials qualify.
        Kiln = "kiln", "Vật liệu xây dựng không nung", "Unfired building materials";
        /// Mining only in difficult areas.
        MiningArea = "mining_area", "Khai thác khoáng sản", "Mining";
        /// Conditions of the request.
        Conditions = "conditions", "Điều kiện của đề nghị hỗ trợ", "Conditions of the request";
    }
}

vocab! {
    /// A parameter of the rule pack: national ids, and the same ids in provincial layers.
    /// Its labels are data (`label_vi` / `label_en` of the parameter in the pack); the labels
    /// here name the id for the rare text that has no pack at hand.
    pub enum ParamId {
        RulesStart = "subject.rules_start", "Quy định khuyến công có hiệu lực", "Khuyến công rules in force";
        UnionOfCooperatives = "subject.union_of_cooperatives", "Liên hiệp hợp tác xã là đối tượng", "Unions of cooperatives are subjects";
        SustainableProduction = "subject.sustainable_production", "Sản xuất bền vững là đối tượng", "Sustainable production is a subject";
        LocationTest = "location.test", "Tiêu chí địa bàn đang áp dụng", "Location test in force";
        ConvertedWardMaxYears = "location.converted_ward_max_years", "Số năm tối đa từ khi xã chuyển thành phường", "Most years since a commune became a ward";
        RoundingMode = "rounding.mode", "Cách làm tròn", "Rounding";
        MachineryRate = "machinery.rate", "Tỷ lệ hỗ trợ máy móc, thiết bị", "Machinery rate";
        MachineryCap = "machinery.cap", "Mức tối đa máy móc, thiết bị", "Machinery cap";
        TechnologyLineRate = "technology_line.rate", "Tỷ lệ hỗ trợ dây chuyền công nghệ", "Technology-line rate";
        TechnologyLineCap = "technology_line.cap", "Mức tối đa dây chuyền công nghệ", "Technology-line cap";
        TechnologyLineCapMultiplier = "technology_line.cap_multiplier", "Hệ số mức tối đa dây chuyền công nghệ", "Technology-line cap multiplier";
        DemoModelRate = "demo_model.rate", "Tỷ lệ hỗ trợ mô hình trình diễn", "Demonstration-model rate";
        DemoModelCap = "demo_model.cap", "Mức tối đa mô hình trình diễn", "Demonstration-model cap";
        ReplicationModelRate = "replication_model.rate", "Tỷ lệ hỗ trợ mô hình nhân rộng", "Replication-model rate";
        ReplicationModelCap = "replication_model.cap", "Mức tối đa mô hình nhân rộng", "Replication-model cap";
        CleanerProductionModelRate = "cleaner_production_model.rate", "Tỷ lệ hỗ trợ mô hình sản xuất sạch hơn", "Cleaner-production model rate";
        CleanerProductionModelCap = "cleaner_production_model.cap", "Mức tối đa mô hình sản xuất sạch hơn", "Cleaner-production model cap";
        StartupRate = "startup.rate", "Tỷ lệ hỗ trợ thành lập doanh nghiệp", "Start-up rate";
        StartupCap = "startup.cap", "Mức tối đa thành lập doanh nghiệp", "Start-up cap";
        TrainingRate = "training.rate", "Tỷ lệ hỗ trợ đào tạo", "Training rate";
        TrainingCap = "training.cap", "Mức tối đa đào tạo", "Training cap";
        TrainingPerLearner = "training.per_learner", "Mức hỗ trợ mỗi học viên", "Per learner";
        TrainingReferencePerLearner = "training.reference_per_learner", "Định mức tham chiếu mỗi học viên", "Reference norm per learner";
        PriorityCapMultiplier = "priority.cap_multiplier", "Hệ số ưu tiên", "Priority multiplier";
        LocalMaterialsPercent = "priority.local_materials_percent", "Tỷ lệ nguyên liệu tại chỗ", "Share of local materials";
        LabourIntensiveWorkers = "priority.labour_intensive_workers", "Số lao động để được coi là sử dụng nhiều lao động", "Workers to count as labour-intensive";
        WomenOwned = "priority.women_owned", "Ưu tiên cơ sở do phụ nữ làm chủ", "Priority for women-owned establishments";
        EthnicMinorityOwned = "priority.ethnic_minority_owned", "Ưu tiên cơ sở do người dân tộc thiểu số làm chủ", "Priority for ethnic-minority-owned establishments";
        EthnicMinorityWorkers = "priority.ethnic_minority_workers", "Ưu tiên cơ sở sử dụng lao động dân tộc thiểu số", "Priority for employing ethnic-minority workers";
        EquipmentNew = "conditions.equipment_new", "Điều kiện máy móc mới", "New-equipment condition";
        TechnologyNewLocally = "conditions.technology_new_locally", "Điều kiện công nghệ mới tại địa phương", "Technology-new-locally condition";
        CounterpartFunding = "conditions.counterpart_funding", "Điều kiện vốn đối ứng", "Counterpart-funding condition";
        NoDoubleFunding = "conditions.no_double_funding", "Điều kiện không trùng nguồn ngân sách", "No-double-funding condition";
        LayerInForce = "layer.in_force", "Văn bản của tỉnh còn được áp dụng", "The provincial resolution applies";
        AicMicroEmployees = "sme.agriculture_industry_construction.micro.employees", "Lao động tối đa, doanh nghiệp siêu nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Micro employees (agriculture, industry, construction)";
        AicMicroRevenue = "sme.agriculture_industry_construction.micro.revenue", "Doanh thu tối đa, doanh nghiệp siêu nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Micro revenue (agriculture, industry, construction)";
        AicMicroCapital = "sme.agriculture_industry_construction.micro.capital", "Nguồn vốn tối đa, doanh nghiệp siêu nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Micro capital (agriculture, industry, construction)";
        AicSmallEmployees = "sme.agriculture_industry_construction.small.employees", "Lao động tối đa, doanh nghiệp nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Small employees (agriculture, industry, construction)";
        AicSmallRevenue = "sme.agriculture_industry_construction.small.revenue", "Doanh thu tối đa, doanh nghiệp nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Small revenue (agriculture, industry, construction)";
        AicSmallCapital = "sme.agriculture_industry_construction.small.capital", "Nguồn vốn tối đa, doanh nghiệp nhỏ (nông nghiệp, công nghiệp, xây dựng)", "Small capital (agriculture, industry, construction)";
        AicMediumEmployees = "sme.agriculture_industry_construction.medium.employees", "Lao động tối đa, doanh nghiệp vừa (nông nghiệp, công nghiệp, xây dựng)", "Medium employees (agriculture, industry, construction)";
        AicMediumRevenue = "sme.agriculture_industry_construction.medium.revenue", "Doanh thu tối đa, doanh nghiệp vừa (nông nghiệp, công nghiệp, xây dựng)", "Medium revenue (agriculture, industry, construction)";
        AicMediumCapital = "sme.agriculture_industry_construction.medium.capital", "Nguồn vốn tối đa, doanh nghiệp vừa (nông nghiệp, công nghiệp, xây dựng)", "Medium capital (agriculture, industry, construction)";
        TsMicroEmployees = "sme.trade_services.micro.employees", "Lao động tối đa, doanh nghiệp siêu nhỏ (thương mại, dịch vụ)", "Micro employees (trade, services)";
        TsMicroRevenue = "sme.trade_services.micro.revenue", "Doanh thu tối đa, doanh nghiệp siêu nhỏ (thương mại, dịch vụ)", "Micro revenue (trade, services)";
        TsMicroCapital = "sme.trade_services.micro.capital", "Nguồn vốn tối đa, doanh nghiệp siêu nhỏ (thương mại, dịch vụ)", "Micro capital (trade, services)";
        TsSmallEmployees = "sme.trade_services.small.employees", "Lao động tối đa, doanh nghiệp nhỏ (thương mại, dịch vụ)", "Small employees (trade, services)";
        TsSmallRevenue = "sme.trade_services.small.revenue", "Doanh thu tối đa, doanh nghiệp nhỏ (thương mại, dịch vụ)", "Small revenue (trade, services)";
        TsSmallCapital = "sme.trade_services.small.capital", "Nguồn vốn tối đa, doanh nghiệp nhỏ (thương mại, dịch vụ)", "Small capital (trade, services)";
        TsMediumEmployees = "sme.trade_services.medium.employees", "Lao động tối đa, doanh nghiệp vừa (thương mại, dịch vụ)", "Medium employees (trade, services)";
        TsMediumRevenue = "sme.trade_services.medium.revenue", "Doanh thu tối đa, doanh nghiệp vừa (thương mại, dịch vụ)", "Medium revenue (trade, services)";
        TsMediumCapital = "sme.trade_services.medium.capital", "Nguồn vốn tối đa, doanh nghiệp vừa (thương mại, dịch vụ)", "Medium capital (trade, services)";
    }
}

impl ParamId {
    /// `<line>.rate`.
    pub const fn rate(line: Line) -> ParamId {
        match line {
            Line::Machinery => ParamId::MachineryRate,
            Line::TechnologyLine => ParamId::TechnologyLineRate,
            Line::DemoModel => ParamId::DemoModelRate,
            Line::ReplicationModel => ParamId::ReplicationModelRate,
            Line::CleanerProductionModel => ParamId::CleanerProductionModelRate,
            Line::Startup => ParamId::StartupRate,
            Line::Training => ParamId::TrainingRate,
        }
    }

    /// `<line>.cap`.
    pub const fn cap(line: Line) -> ParamId {
        match line {
            Line::Machinery => ParamId::MachineryCap,
            Line::TechnologyLine => ParamId::TechnologyLineCap,
            Line::DemoModel => ParamId::DemoModelCap,
            Line::ReplicationModel => ParamId::ReplicationModelCap,
            Line::CleanerProductionModel => ParamId::CleanerProductionModelCap,
            Line::Startup => ParamId::StartupCap,
            Line::Training => ParamId::TrainingCap,
        }
    }

    /// `sme.<group>.<class>.{employees, revenue, capital}`; class 0 micro, 1 small, 2 medium.
    pub const fn sme(group: SizeSector, class: usize) -> [ParamId; 3] {
        use ParamId::*;
        const AIC: [[ParamId; 3]; 3] = [
            [AicMicroEmployees, AicMicroRevenue, AicMicroCapital],
            [AicSmallEmployees, AicSmallRevenue, AicSmallCapital],
            [AicMediumEmployees, AicMediumRevenue, AicMediumCapital],
        ];
        const TS: [[ParamId; 3]; 3] = [
            [TsMicroEmployees, TsMicroRevenue, TsMicroCapital],
            [TsSmallEmployees, TsSmallRevenue, TsSmallCapital],
            [TsMediumEmployees, TsMediumRevenue, TsMediumCapital],
        ];
        let class = if class > 2 { 2 } else { class };
        match group {
            SizeSector::AgricultureIndustryConstruction => AIC[class],
            SizeSector::TradeServices => TS[class],
        }
    }
}

/// Yes / no as the Vietnamese pages write them.
pub fn yes_no_vi(b: bool) -> &'static str {
    if b { "có" } else { "không" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Copy + fmt::Debug, const N: usize>(
        all: [T; N],
        id: fn(T) -> &'static str,
        vi: fn(T) -> &'static str,
        en: fn(T) -> &'static str,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for v in all {
            assert!(seen.insert(id(v)), "{v:?}: id {} twice", id(v));
            assert!(!vi(v).trim().is_empty() && !en(v).trim().is_empty(), "{v:?}: a label is empty");
            assert_ne!(vi(v), id(v), "{v:?}: the Vietnamese label is the id");
        }
    }

    #[test]
    fn every_id_has_both_labels() {
        check(Line::ALL, Line::id, Line::label_vi, Line::label_en);
        check(Subject::ALL, Subject::id, Subject::label_vi, Subject::label_en);
        check(SizeSector::ALL, SizeSector::id, SizeSector::label_vi, SizeSector::label_en);
        check(OldUnit::ALL, OldUnit::id, OldUnit::label_vi, OldUnit::label_en);
        check(CommuneKind::ALL, CommuneKind::id, CommuneKind::label_vi, CommuneKind::label_en);
        check(ProvinceKind::ALL, ProvinceKind::id, ProvinceKind::label_vi, ProvinceKind::label_en);
        check(Confidence::ALL, Confidence::id, Confidence::label_vi, Confidence::label_en);
        check(Outcome::ALL, Outcome::id, Outcome::label_vi, Outcome::label_en);
        check(Status::ALL, Status::id, Status::label_vi, Status::label_en);
        check(Fund::ALL, Fund::id, Fund::label_vi, Fund::label_en);
        check(Basis::ALL, Basis::id, Basis::label_vi, Basis::label_en);
        check(CriterionId::ALL, CriterionId::id, CriterionId::label_vi, CriterionId::label_en);
        check(QuestionId::ALL, QuestionId::id, QuestionId::label_vi, QuestionId::label_en);
        check(PriorityId::ALL, PriorityId::id, PriorityId::label_vi, PriorityId::label_en);
        check(HintId::ALL, HintId::id, HintId::label_vi, HintId::label_en);
        check(ParamId::ALL, ParamId::id, ParamId::label_vi, ParamId::label_en);
    }

    #[test]
    fn wire_strings_round_trip_in_json_and_indices_in_postcard() {
        for q in QuestionId::ALL {
            let json = serde_json::to_string(&q).unwrap();
            assert_eq!(json, format!("\"{}\"", q.id()));
            assert_eq!(serde_json::from_str::<QuestionId>(&json).unwrap(), q);
            assert_eq!(QuestionId::from_id(q.id()), Some(q));
            let bin = postcard::to_allocvec(&q).unwrap();
            assert_eq!(bin.len(), 1);
            assert_eq!(postcard::from_bytes::<QuestionId>(&bin).unwrap(), q);
        }
        assert!(serde_json::from_str::<CriterionId>("\"sme_sise\"").is_err());
        assert_eq!(CriterionId::SmeSize, "sme_size");
    }

    #[test]
    fn cost_questions_and_line_params() {
        for l in Line::ALL {
            assert_eq!(QuestionId::cost(l).id(), format!("lines.{}.cost", l.id()));
            assert_eq!(QuestionId::cost(l).cost_of(), Some(l));
            assert_eq!(ParamId::rate(l).id(), format!("{}.rate", l.id()));
            assert_eq!(ParamId::cap(l).id(), format!("{}.cap", l.id()));
        }
        for g in SizeSector::ALL {
            for (c, class) in ["micro", "small", "medium"].iter().enumerate() {
                let [e, r, k] = ParamId::sme(g, c);
                assert_eq!(e.id(), format!("sme.{}.{class}.employees", g.id()));
                assert_eq!(r.id(), format!("sme.{}.{class}.revenue", g.id()));
                assert_eq!(k.id(), format!("sme.{}.{class}.capital", g.id()));
            }
        }
    }
}
