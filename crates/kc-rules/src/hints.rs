//! Counterfactuals the applicant can act on (docs/engine.md, "Hints").

use rust_decimal::Decimal;

use crate::context::{Criteria, Ctx};
use crate::pack::SectorCondition;
use crate::resolved::{decimal_key, position};
use crate::text::{Piece, cat};
use crate::{Basis, CriterionId, Fund, Hint, HintId, Line, ParamId, RulesError, Status, Subject, SupportResult, Text};

/// The hints of a decision.
pub(crate) fn hints(ctx: &Ctx<'_>, crits: Criteria<'_>, support: &[SupportResult]) -> Result<Vec<Hint>, RulesError> {
    let app = ctx.app;
    let mut out = Vec::new();
    for s in support.iter().filter(|s| s.basis == Basis::Computed && s.status != Status::NotMet) {
        let (Some(cap), Some(above)) = (&s.cap, s.cap_binds_above) else {
            continue;
        };
        let (fund_vi, fund_en) =
            if s.fund == Fund::National { ("quốc gia", "national") } else { ("địa phương", "local") };
        let cap_value = s.amount.filter(|_| s.cap_applied).unwrap_or(cap.value);
        if s.cap_applied {
            use Piece::{S, Vnd as V};
            let make = || {
                Text::new(
                    cat(&[
                        S("Chi phí trên "),
                        V(above),
                        S(" không làm tăng hỗ trợ "),
                        S(fund_vi),
                        S(" cho “"),
                        S(s.line.label_vi()),
                        S("”: mức tối đa "),
                        V(cap_value),
                        S(" đã áp dụng."),
                    ]),
                    cat(&[
                        S("Costs above "),
                        V(above),
                        S(" add nothing to the "),
                        S(fund_en),
                        S(" support for “"),
                        S(s.line.label_en()),
                        S("”: the "),
                        V(cap_value),
                        S(" cap binds."),
                    ]),
                )
            };
            let source = match &s.layer {
                None => None,
                Some(_) => match ctx.layer.and_then(|l| position(&ctx.pack.layers, l)) {
                    Some(i) => Some(i),
                    None => {
                        out.push(Hint { id: HintId::CapBinds, text: make() });
                        continue;
                    }
                },
            };
            let text = match ctx.p.period.cap_binds(ctx.pack, source, s.line, ctx.priority) {
                Some(slot) => slot.text((above.to_u64().into(), cap_value.to_u64().into()), &make),
                None => make(),
            };
            out.push(Hint { id: HintId::CapBinds, text });
        } else if let Some(amount) = s.amount {
            let top = cap.value.times(s.multiplier.value).unwrap_or(cap.value);
            use Piece::{S, Vnd as V};
            out.push(Hint {
                id: HintId::CapRoom,
                text: Text::new(
                    cat(&[
                        S("Hỗ trợ "),
                        S(fund_vi),
                        S(" hiện là "),
                        V(amount),
                        S("; tăng theo chi phí đến "),
                        V(top),
                        S(" khi chi phí đạt "),
                        V(above),
                        S("."),
                    ]),
                    cat(&[
                        S("The "),
                        S(fund_en),
                        S(" support is "),
                        V(amount),
                        S(" now; it grows with the cost up to "),
                        V(top),
                        S(" at a cost of "),
                        V(above),
                        S("."),
                    ]),
                ),
            });
        }
    }
    if ctx.lines.contains(Line::Machinery) && !ctx.lines.contains(Line::TechnologyLine) {
        let national = support.iter().find(|s| s.line == Line::Machinery && s.fund == Fund::National && s.cap_applied);
        if let Some(s) = national
            && let Some(cap) = &s.cap
            && let Some(f) = ctx.p.opt::<Decimal>(ParamId::TechnologyLineCapMultiplier)?
            && f.value > Decimal::ONE
        {
            let line_cap = cap.value.times(f.value).unwrap_or(cap.value);
            use Piece::{FactorEn, FactorVi, S, Vnd as V};
            let make = || {
                Text::new(
                    cat(&[
                        S("Nếu máy móc tạo thành một dây chuyền công nghệ, mức tối đa là "),
                        FactorVi(f.value),
                        S(" lần: "),
                        V(line_cap),
                        S("."),
                    ]),
                    cat(&[
                        S("If the machines form a technology line, the cap is "),
                        FactorEn(f.value),
                        S("×: "),
                        V(line_cap),
                        S("."),
                    ]),
                )
            };
            let text =
                ctx.p.period.texts.technology_line_cap.text((decimal_key(f.value), line_cap.to_u64().into()), &make);
            out.push(Hint { id: HintId::TechnologyLineCap, text });
        }
    }
    if ctx.test_2025() && ctx.city_ward() && app.location.craft_village != Some(true) {
        out.push(Hint {
            id: HintId::CityWardCraftVillage,
            text: Text::fixed(
                "Phường của thành phố trực thuộc trung ương chỉ được hỗ trợ khi cơ sở nằm trong làng nghề được UBND cấp tỉnh công nhận; xã và đặc khu của thành phố thì được.",
                "A ward of a centrally-run city qualifies only inside a craft village recognised by the provincial People's Committee; the city's communes and special zones qualify.",
            ),
        });
    }
    if app.subject == Some(Subject::UnionOfCooperatives) && crits.status(CriterionId::Subject) == Some(Status::NotMet) {
        let from = ctx.switch_date(ParamId::UnionOfCooperatives, "true");
        let (vi, en) = from.map_or_else(Default::default, |d| (crate::iso_date::vi(d), crate::iso_date::format(d)));
        out.push(Hint {
            id: HintId::UnionFrom2025,
            text: Text::new(
                format!("Liên hiệp hợp tác xã là đối tượng khuyến công từ ngày {vi} (Nghị định 235/2025); các hợp tác xã thành viên có thể đề nghị riêng."),
                format!("Unions of cooperatives are subjects from {en} (Decree 235/2025); member cooperatives may apply on their own."),
            ),
        });
    }
    if crits.status(CriterionId::SmeSize) == Some(Status::NotMet) {
        out.push(Hint {
            id: HintId::LargeEnterprise,
            text: Text::fixed(
                "Doanh nghiệp lớn chỉ có thể được hỗ trợ qua mô hình thí điểm sản xuất sạch hơn (không giới hạn quy mô).",
                "A large enterprise can be supported only through the cleaner-production pilot model (no size limit).",
            ),
        });
    }
    let sector = ctx.sector;
    if sector.is_some_and(|s| !s.eligible) {
        out.push(Hint {
            id: HintId::SectorExcluded,
            text: Text::fixed(
                "Chỉ hoạt động sản xuất công nghiệp – tiểu thủ công nghiệp được hỗ trợ; nếu cơ sở có chế biến hoặc sản xuất, hãy chọn ngành đó.",
                "Only industrial and cottage-industry production is supported; if you process or manufacture, choose that sector.",
            ),
        });
    }
    let condition = sector.and_then(|s| s.condition);
    if condition == Some(SectorCondition::NoManualOrRingKiln) && app.fired_clay_manual_kiln == Some(true) {
        out.push(Hint {
            id: HintId::Kiln,
            text: Text::fixed(
                "Vật liệu xây dựng không nung, công nghệ mới được ưu tiên hỗ trợ; chuyển đổi khỏi lò thủ công cải tiến, lò vòng để đủ điều kiện.",
                "Unfired, new-technology building materials qualify; moving away from manual or ring kilns makes the activity eligible.",
            ),
        });
    }
    if condition == Some(SectorCondition::DifficultAreaOnly) && app.location.difficult_area != Some(true) {
        out.push(Hint {
            id: HintId::MiningArea,
            text: Text::fixed(
                "Khai thác, chế biến khoáng sản chỉ được hỗ trợ tại địa bàn có điều kiện kinh tế – xã hội khó khăn, đặc biệt khó khăn.",
                "Mining and mineral processing is supported only in areas with difficult socio-economic conditions.",
            ),
        });
    }
    let conditions = [
        CriterionId::CounterpartFunding,
        CriterionId::EquipmentNew,
        CriterionId::NoDoubleFunding,
        CriterionId::TechnologyNewLocally,
    ];
    let failed = conditions.into_iter().filter(|id| crits.status(*id) == Some(Status::NotMet));
    if failed.clone().next().is_some() {
        let failed: Vec<&str> = failed.map(CriterionId::label_en).collect();
        out.push(Hint {
            id: HintId::Conditions,
            text: Text::new(
                "Để được hỗ trợ: cam kết bố trí vốn đối ứng, dùng máy móc mới, không nhận hỗ trợ ngân sách khác cho cùng nội dung, và mô hình trình diễn phải là công nghệ mới tại địa phương.",
                format!(
                    "To be supported: commit counterpart funding, buy new equipment, take no other state funding for the same item, and show a technology new locally (not met: {}).",
                    failed.join(", ")
                ),
            ),
        });
    }
    Ok(out)
}
