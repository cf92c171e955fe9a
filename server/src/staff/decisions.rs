//! The detail page's block for an adopted rule pack: the decision the application was
//! received with beside the decision of the pack the centre runs now, the difference (the
//! outcome, each fund's amount), and which one the centre uses (`decision_policy`). Shown
//! only when the running pack decides the application differently; nothing stored changes.

use maud::{Markup, html};

use super::html::{Lang, money};
use super::labels::{self, Kind};
use crate::adopt::Current;
use crate::config::DecisionPolicy;

/// A signed amount of đồng: `+100.000.000 đ`, `−10.000.000 đ`, `0 đ`.
pub fn delta(v: i64) -> String {
    match v.signum() {
        1 => format!("+{}", money(v)),
        -1 => format!("−{}", money(v.saturating_neg())),
        _ => money(0),
    }
}

/// `2026-12-05` → `05/12/2026`, as the staff pages write dates.
fn day(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

fn amount(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_owned(), money)
}

/// The block, or nothing when there is no current decision that differs.
pub fn block(l: Lang, current: Option<&Current>, policy: DecisionPolicy) -> Markup {
    let Some(c) = current.filter(|c| c.differs()) else { return html! {} };
    let used_current = c.used(policy);
    let outcome = |id: &str| labels::label(l, Kind::Outcome, id);
    let fund = |id: &str| labels::label(l, Kind::Fund, id);
    let rows =
        [(fund("national"), c.received_national, c.amount_national), (fund("local"), c.received_local, c.amount_local)];
    html! {
        section aria-labelledby="h-adopted" {
            h2 id="h-adopted" class="drift" {
                (l.t("Quy định đã thay đổi: kết quả khi nhận hồ sơ và theo bộ quy tắc đang áp dụng",
                     "The rules changed: the result at receipt and under the rules in force now"))
            }
            p {
                (l.t("Cùng câu trả lời, cùng ngày xét ", "Same answers, same assessment date "))
                (day(&c.as_of))
                ". "
                strong {
                    @if used_current {
                        (l.t("Trung tâm dùng kết quả theo bộ quy tắc đang áp dụng.",
                             "The centre uses the result under the rules in force now."))
                    } @else {
                        (l.t("Trung tâm dùng kết quả khi nhận hồ sơ (như người nộp đã được thông báo).",
                             "The centre uses the result at receipt (what the applicant was told)."))
                    }
                }
                " "
                span.muted { (l.t("Kết quả khi nhận hồ sơ được lưu nguyên, không bị ghi đè.",
                                  "The result at receipt is kept; nothing was overwritten.")) }
            }
            table {
                thead { tr {
                    th scope="col" { (l.t("Nội dung", "Item")) }
                    th scope="col" { (l.t("Khi nhận hồ sơ", "At receipt")) @if !used_current { " ✓" } }
                    th scope="col" { (l.t("Theo bộ quy tắc đang áp dụng", "Under the rules in force now")) @if used_current { " ✓" } }
                    th scope="col" { (l.t("Chênh lệch", "Difference")) }
                } }
                tbody {
                    tr {
                        th scope="row" { (l.t("Kết quả", "Outcome")) }
                        td { (outcome(&c.received_outcome)) }
                        td { (outcome(&c.outcome)) }
                        td {
                            @if c.received_outcome == c.outcome { (l.t("Không đổi", "Unchanged")) }
                            @else { strong { (outcome(&c.received_outcome)) " → " (outcome(&c.outcome)) } }
                        }
                    }
                    @for (label, before, after) in &rows {
                        tr {
                            th scope="row" { (label) }
                            td.num { (amount(*before)) }
                            td.num { (amount(*after)) }
                            td.num {
                                @let d = after.unwrap_or(0) - before.unwrap_or(0);
                                @if d == 0 { (l.t("Không đổi", "Unchanged")) } @else { strong { (delta(d)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_carry_their_sign_and_thousands_dots() {
        assert_eq!(delta(100_000_000), "+100.000.000 đ");
        assert_eq!(delta(-10_000_000), "−10.000.000 đ");
        assert_eq!(delta(0), "0 đ");
        assert_eq!(day("2026-12-05"), "05/12/2026");
    }
}
