//! The application: the applicant's answers, each optional until answered.
//!
//! Types make bad input unrepresentable where they can (money is [`Vnd`], enums are closed);
//! what depends on the rule pack (commune codes, sector ids) is checked by [`Application::check`].
//! An unanswered question is `None`; [`crate::Decision::missing`] says which ones still matter.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::pack::{Commune, Sector};
use crate::{Line, OldUnit, RulePack, RulesError, SizeSector, Subject, Vnd};

impl Line {
    /// Lines whose supported machinery must be new (TT 46/2012 Art. 4 cl. 4, the machinery
    /// clause): machinery and technology lines. A demonstration model has its own condition
    /// (technology new locally, Art. 4 cl. 2).
    pub fn buys_equipment(self) -> bool {
        matches!(self, Line::Machinery | Line::TechnologyLine)
    }
}

/// Enterprise size answers (Decree 80/2021 Art. 7–9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeAnswers {
    /// Main registered business line's group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector_group: Option<SizeSector>,
    /// Average employees with social insurance last year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u32>,
    /// Last year's revenue; leave out when there is none yet (the capital criterion is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Vnd>,
    /// Total capital (balance-sheet total) at last year's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<Vnd>,
}

/// Where the establishment produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationAnswers {
    /// Official commune-level code (since 2025-07-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune_code: Option<u32>,
    /// Inside a craft village (làng nghề) recognised by the provincial People's Committee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub craft_village: Option<bool>,
    /// For merged provinces: codename of the former province the place was in, which picks
    /// that former province's local-fund resolution. It follows from `commune_code` (the pack
    /// carries it); an answer that contradicts the commune is refused by [`Application::check`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_province: Option<String>,
    /// In an area with difficult or extremely difficult socio-economic conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficult_area: Option<bool>,
    /// Before 2025-10-15: the declared kind of place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_unit: Option<OldUnit>,
    /// Before 2025-10-15, for a ward of a grade-1 city: when it was converted from a commune.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::iso_date::option")]
    pub ward_converted_on: Option<Date>,
}

/// Conditions of the request (TT 46/2012 Art. 4; TTLT 26/2014 Art. 7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionAnswers {
    /// The machinery / equipment is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_new: Option<bool>,
    /// No other state funding for the same cost item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_other_state_funding: Option<bool>,
    /// Commits to fund the rest of the approved cost (vốn đối ứng).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart_funding: Option<bool>,
    /// Demonstration model: the technology / product is not yet applied locally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technology_new_locally: Option<bool>,
}

/// Priority facts (Decree 45/2012 Art. 6; Decree 235/2025; TT 64/2024). They never change
/// eligibility; they are reported, and a dated multiplier (1.0 today) can apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityAnswers {
    /// Owned by a woman.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women_owned: Option<bool>,
    /// Owned by a member of an ethnic minority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnic_minority_owned: Option<bool>,
    /// Employs ethnic-minority workers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnic_minority_workers: Option<bool>,
    /// In an ethnic-minority, highland, border or island area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnic_minority_area: Option<bool>,
    /// Holds a typical rural industrial product certificate (SP CNNT tiêu biểu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typical_rural_product: Option<bool>,
    /// Has an export contract or produces for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exports: Option<bool>,
    /// Share of main inputs from the same province, in percent (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_materials_percent: Option<u8>,
    /// Number of workers (labour-intensive from the pack's threshold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
}

/// One requested support line with its cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    /// Which line.
    pub line: Line,
    /// The eligible cost (equipment price, model cost, course cost, founding costs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Vnd>,
    /// Training only: number of learners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learners: Option<u32>,
}

/// Everything the applicant answered. Every field is optional: an empty application is
/// valid and yields a decision that asks for the first answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Requested lines (at most one of each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineRequest>,
    /// Kind of establishment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// Enterprise size (enterprises only).
    #[serde(default)]
    pub size: SizeAnswers,
    /// Place of production.
    #[serde(default)]
    pub location: LocationAnswers,
    /// Sector id from the pack's sector list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Building materials: makes fired-clay bricks in improved manual or ring kilns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired_clay_manual_kiln: Option<bool>,
    /// Request conditions.
    #[serde(default)]
    pub conditions: ConditionAnswers,
    /// Priority facts.
    #[serde(default)]
    pub priority: PriorityAnswers,
}

impl Application {
    /// The request for `line`, if asked for.
    pub fn line(&self, line: Line) -> Option<&LineRequest> {
        self.lines.iter().find(|r| r.line == line)
    }

    /// Checks what the types cannot: codes and ids against the pack, no duplicate lines,
    /// percentages in range. The error names the field path.
    pub fn check(&self, pack: &RulePack) -> Result<(), RulesError> {
        self.resolve(pack).map(drop)
    }

    /// [`Self::check`], giving the commune and sector it looked up (`evaluate` reads them).
    pub(crate) fn resolve<'p>(
        &self,
        pack: &'p RulePack,
    ) -> Result<(Option<&'p Commune>, Option<&'p Sector>), RulesError> {
        let invalid = |field: &str, message: &str| RulesError::InvalidInput {
            field: field.to_owned(),
            message: message.to_owned(),
        };
        for (i, r) in self.lines.iter().enumerate() {
            if self.lines[..i].iter().any(|o| o.line == r.line) {
                return Err(invalid(&format!("lines[{i}].line"), "nội dung hỗ trợ bị lặp / duplicate support line"));
            }
            if r.learners.is_some() && r.line != Line::Training {
                return Err(invalid(&format!("lines[{i}].learners"), "chỉ dùng cho đào tạo / only for training"));
            }
        }
        let commune = match self.location.commune_code {
            Some(code) => Some(pack.commune(code).ok_or_else(|| {
                invalid("location.commune_code", "mã xã/phường/đặc khu không có trong danh mục / unknown commune code")
            })?),
            None => None,
        };
        if let Some(former) = &self.location.former_province {
            match commune.and_then(|c| c.former_province.as_deref()) {
                // The commune decides the former province; an answer may only agree with it.
                Some(derived) if derived != former => {
                    let (was, said) = (pack.former_name(derived), pack.former_name(former));
                    return Err(invalid(
                        "location.former_province",
                        &format!(
                            "trước năm 2025 xã/phường/đặc khu đã chọn thuộc {was}, không phải {said} / \
                             before 2025 the chosen commune was in {was}, not {said}"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    let known = pack.provinces.iter().flat_map(|p| &p.formed_from).any(|f| &f.codename == former);
                    if !known {
                        return Err(invalid(
                            "location.former_province",
                            "tỉnh cũ không có trong danh mục / unknown former province",
                        ));
                    }
                }
            }
        }
        let sector = match &self.sector {
            Some(id) => Some(
                pack.sector(id)
                    .ok_or_else(|| invalid("sector", "ngành nghề không có trong danh mục / unknown sector"))?,
            ),
            None => None,
        };
        if self.priority.local_materials_percent.is_some_and(|p| p > 100) {
            return Err(invalid("priority.local_materials_percent", "phải từ 0 đến 100 / must be 0 to 100"));
        }
        Ok((commune, sector))
    }
}
