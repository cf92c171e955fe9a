//! The live result: outcome, criteria with reasons and citations, amounts per line and fund,
//! hints, papers.

use kc_rules::{Basis, Citation, Confidence, Decision, SupportResult, vnd_in_words};
use yew::prelude::*;

use crate::app::{capitalise, outcome_class};
use crate::lang::Lang;
use crate::state::State;

/// `Căn cứ: Thông tư 28/2018/TT-BTC, Điều 8 · đã đối chiếu văn bản gốc`.
pub(crate) fn basis(lang: Lang, c: &Citation, conf: Confidence) -> Html {
    html! {
        <span class="kc-cite">
            { format!("{} {c}", lang.pick("Căn cứ:", "Basis:")) }
            <span class={classes!("kc-conf", format!("kc-conf--{conf:?}").to_ascii_lowercase())}>
                { format!(" · {} {conf:?}: {}", lang.pick("độ tin cậy", "confidence"), lang.confidence(conf)) }
            </span>
        </span>
    }
}

/// Figures and words.
pub(crate) fn amount(v: kc_rules::Vnd) -> Html {
    html! {
        <>
            <span class="kc-amount">{ v.to_string() }</span>
            <span class="kc-words" lang="vi">{ capitalise(&vnd_in_words(v)) }</span>
        </>
    }
}

fn support(lang: Lang, s: &SupportResult) -> Html {
    let figure = match s.basis {
        Basis::Computed => s.amount.map(amount).unwrap_or_default(),
        Basis::CeilingOnly => html! {
            <>
                <span class="kc-label">{ lang.pick("Tối đa", "At most") }</span>
                { s.ceiling.map(amount).unwrap_or_default() }
            </>
        },
        Basis::SetByProvince => {
            html! { <p>{ lang.pick("Mức hỗ trợ do tỉnh quy định.", "The province sets the amount.") }</p> }
        }
        Basis::NeedCost => {
            html! { <p>{ lang.pick("Nhập chi phí dự kiến để tính mức hỗ trợ.", "Enter the expected cost to compute the support.") }</p> }
        }
        Basis::NoValue => {
            html! { <p>{ lang.pick("Nguồn này không có mức hỗ trợ cho nội dung này vào thời điểm hiện tại.", "This fund has no amount for this line on this date.") }</p> }
        }
    };
    let (mark, word) = lang.status(s.status);
    html! {
        <div class="kc-support">
            <h5>
                { lang.line(s.line) }<span class="kc-dim">{ format!(" — {}", lang.fund(s.fund)) }</span>
            </h5>
            <p class="kc-line-status"><span aria-hidden="true">{ mark }</span>{ format!(" {word}") }</p>
            <div class="kc-figure">{ figure }</div>
            <ul class="kc-facts">
                if let Some(r) = &s.rate {
                    <li>{ format!("{} {}", lang.pick("Tỷ lệ hỗ trợ:", "Support rate:"), r.value) } { " " } { basis(lang, &r.citation, r.confidence) }</li>
                }
                if let Some(c) = &s.cap {
                    <li>
                        { format!("{} {}", lang.pick("Mức trần:", "Cap:"), c.value) }
                        { if s.cap_applied {
                            lang.pick(" — mức trần đang áp dụng", " — the cap binds")
                        } else {
                            lang.pick(" — chưa chạm mức trần", " — below the cap")
                        } }
                        { " " } { basis(lang, &c.citation, c.confidence) }
                    </li>
                }
                if let Some(v) = s.cap_binds_above {
                    <li>{ format!("{} {v}", lang.pick("Mức trần áp dụng khi chi phí vượt", "The cap binds for costs above")) }</li>
                }
                if let Some(n) = &s.note {
                    <li>{ lang.text(n).to_owned() }</li>
                }
                { for s.references.iter().map(|r| html! {
                    <li>
                        { lang.text(&r.label).to_owned() }
                        { r.amount.map(|a| format!(": {a}")).unwrap_or_default() }
                        { " " } { basis(lang, &r.citation, r.confidence) }
                    </li>
                }) }
            </ul>
        </div>
    }
}

fn decision_view(lang: Lang, d: &Decision, has_lines: bool) -> Html {
    html! {
        <>
            <p class={classes!("kc-outcome", outcome_class(d.outcome))}>{ lang.outcome(d.outcome) }</p>
            if !has_lines {
                <p class="kc-help">{ lang.pick(
                    "Hãy chọn nội dung muốn được hỗ trợ và nơi sản xuất để bắt đầu.",
                    "Choose the support you want and where you produce to begin.",
                ) }</p>
            }
            if !d.support.is_empty() {
                <h4>{ lang.pick("Mức hỗ trợ", "Support") }</h4>
                { for d.support.iter().map(|s| support(lang, s)) }
            }
            if !d.criteria.is_empty() {
                <h4>{ lang.pick("Các điều kiện", "Criteria") }</h4>
                <ul class="kc-criteria">
                    { for d.criteria.iter().map(|c| {
                        let (mark, word) = lang.status(c.status);
                        let class = format!("kc-crit kc-crit--{}", match c.status {
                            kc_rules::Status::Met => "met",
                            kc_rules::Status::NotMet => "not-met",
                            kc_rules::Status::Unknown => "unknown",
                        });
                        html! {
                            <li class={class}>
                                <span class="kc-mark" aria-hidden="true">{ mark }</span>
                                <div>
                                    <strong>{ lang.criterion(&c.id) }</strong>
                                    { format!(" — {word}. ") }
                                    { lang.text(&c.reason).to_owned() }
                                    <br />
                                    { basis(lang, &c.citation, c.confidence) }
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            }
            if !d.hints.is_empty() {
                <h4>{ lang.pick("Gợi ý", "Hints") }</h4>
                <ul class="kc-hints">{ for d.hints.iter().map(|h| html! { <li>{ lang.text(&h.text).to_owned() }</li> }) }</ul>
            }
            if !d.priorities.is_empty() && d.priorities.iter().any(|p| p.status == kc_rules::Status::Met) {
                <h4>{ lang.pick("Diện ưu tiên", "Priorities") }</h4>
                <ul class="kc-hints">
                    { for d.priorities.iter().filter(|p| p.status == kc_rules::Status::Met).map(|p| html! {
                        <li>{ lang.text(&p.reason).to_owned() }</li>
                    }) }
                </ul>
            }
            if !d.papers.is_empty() {
                <h4>{ lang.pick("Giấy tờ cần chuẩn bị", "Papers to prepare") }</h4>
                <ul class="kc-papers">
                    { for d.papers.iter().map(|p| html! {
                        <li>{ lang.text(&p.label).to_owned() } <br /> { basis(lang, &p.citation, p.confidence) }</li>
                    }) }
                </ul>
            }
            <p class="kc-pack">
                { format!(
                    "{} {} · {} {}",
                    lang.pick("Bộ quy định", "Rule pack"),
                    d.pack_id,
                    lang.pick("áp dụng ngày", "as of"),
                    format_date(d.as_of),
                ) }
            </p>
        </>
    }
}

/// `15/01/2026`.
pub(crate) fn format_date(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// The result panel.
pub(crate) fn view(state: &State) -> Html {
    let lang = state.lang;
    html! {
        <section class="kc-card kc-result" aria-labelledby="kc-result-h">
            <h3 id="kc-result-h">{ lang.pick("Kết quả tự kiểm tra", "Self-check result") }</h3>
            { match &state.decision {
                Ok(d) => decision_view(lang, d, !state.draft.application.lines.is_empty()),
                Err(e) => html! { <p class="kc-error" role="alert">{ format!("{} {e}", lang.pick("Không tính được:", "Could not compute:")) }</p> },
            } }
        </section>
    }
}
