//! The live result, answer first: a banner with the outcome, the amount per fund in figures
//! and words and — when not eligible — the failing reasons and the hints that would change
//! them; then one line per requested support; the calculation, the criteria and every
//! citation one tap away (`<details>`); the papers to prepare.

use kc_rules::{Basis, Citation, Confidence, Decision, Fund, Status, SupportResult, Vnd, vnd_in_words};
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
pub(crate) fn amount(v: Vnd) -> Html {
    html! {
        <>
            <span class="kc-amount">{ v.to_string() }</span>
            <span class="kc-words" lang="vi">{ capitalise(&vnd_in_words(v)) }</span>
        </>
    }
}

/// One requested line and fund in a sentence: its status and, when it applies, its amount.
fn line_summary(lang: Lang, s: &SupportResult) -> Html {
    let (mark, word) = lang.status(s.status);
    let figure = match (s.status, s.basis) {
        // A line that is not met carries no amount.
        (Status::NotMet, _) => html! {},
        (_, Basis::Computed) => s.amount.map(amount).unwrap_or_default(),
        (_, Basis::CeilingOnly) => html! {
            <>
                <span class="kc-label">{ lang.pick("Tối đa", "At most") }</span>
                { s.ceiling.map(amount).unwrap_or_default() }
            </>
        },
        (_, Basis::SetByProvince) => {
            html! { <p>{ lang.pick("Mức hỗ trợ do tỉnh quy định.", "The province sets the amount.") }</p> }
        }
        (_, Basis::NeedCost) => html! {
            <p>{ lang.pick("Nhập chi phí dự kiến để tính mức hỗ trợ.", "Enter the expected cost to compute the support.") }</p>
        },
        (_, Basis::NoValue) => html! {
            <p>{ lang.pick(
                "Nguồn này không có mức hỗ trợ cho nội dung này vào thời điểm hiện tại.",
                "This fund has no amount for this line on this date.",
            ) }</p>
        },
    };
    html! {
        <li class={classes!("kc-support", format!("kc-support--{}", status_id(s.status)))}>
            <p class="kc-support-h">
                <span class="kc-mark" aria-hidden="true">{ mark }</span>
                <strong>{ lang.line(s.line) }</strong>
                <span class="kc-dim">{ format!(" · {} · {word}", lang.fund(s.fund)) }</span>
            </p>
            <div class="kc-figure">{ figure }</div>
        </li>
    }
}

/// How one line's amount was found, with every citation (inside "Cách tính").
fn line_facts(lang: Lang, s: &SupportResult) -> Html {
    html! {
        <li>
            <strong>{ format!("{} · {}", lang.line(s.line), lang.fund(s.fund)) }</strong>
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
        </li>
    }
}

fn status_id(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "not-met",
        Status::Unknown => "unknown",
    }
}

/// The banner: the answer in one look.
fn banner(lang: Lang, d: &Decision, has_lines: bool) -> Html {
    let (mark, _) = match d.outcome {
        kc_rules::Outcome::Eligible => lang.status(Status::Met),
        kc_rules::Outcome::NotEligible => lang.status(Status::NotMet),
        kc_rules::Outcome::NeedMoreAnswers => lang.status(Status::Unknown),
    };
    let funds: Vec<(Fund, Vnd)> =
        [Fund::National, Fund::Local].into_iter().map(|f| (f, d.total(f))).filter(|(_, v)| *v > Vnd::ZERO).collect();
    let failing: Vec<_> = d.criteria.iter().filter(|c| c.status == Status::NotMet).collect();
    let not_eligible = d.outcome == kc_rules::Outcome::NotEligible;
    let more = d.outcome == kc_rules::Outcome::NeedMoreAnswers;
    html! {
        <div class={classes!("kc-banner", outcome_class(d.outcome))}>
            <p class="kc-outcome"><span aria-hidden="true">{ format!("{mark} ") }</span>{ lang.outcome(d.outcome) }</p>
            if !has_lines {
                <p>{ lang.pick(
                    "Hãy chọn nội dung muốn được hỗ trợ và nơi sản xuất để bắt đầu.",
                    "Choose the support you want and where you produce to begin.",
                ) }</p>
            } else if more && !d.missing.is_empty() {
                <p>{ match lang {
                    Lang::Vi => format!("Còn {} câu hỏi có thể làm thay đổi kết quả (ở mục 3).", d.missing.len()),
                    Lang::En => format!("{} more question(s) can change the result (section 3).", d.missing.len()),
                } }</p>
            }
            if !not_eligible {
                { for funds.iter().map(|(f, v)| html! {
                    <div class="kc-fund">
                        <span class="kc-fund-name">{ if more {
                            format!("{} {}", lang.fund(*f), lang.pick("(dự kiến, nếu đủ điều kiện)", "(expected, if eligible)"))
                        } else {
                            lang.fund(*f).to_owned()
                        } }</span>
                        { amount(*v) }
                    </div>
                }) }
            }
            if not_eligible {
                <p class="kc-why-h">{ lang.pick("Vì sao:", "Why:") }</p>
                <ul class="kc-why">
                    { for failing.iter().map(|c| html! {
                        <li><strong>{ format!("{}: ", lang.criterion(&c.id)) }</strong>{ lang.text(&c.reason).to_owned() }</li>
                    }) }
                </ul>
                if !d.hints.is_empty() {
                    <p class="kc-why-h">{ lang.pick("Điều có thể thay đổi kết quả:", "What would change it:") }</p>
                    <ul class="kc-why">
                        { for d.hints.iter().map(|h| html! { <li>{ lang.text(&h.text).to_owned() }</li> }) }
                    </ul>
                }
            }
        </div>
    }
}

fn decision_view(lang: Lang, d: &Decision, has_lines: bool) -> Html {
    let met = d.criteria.iter().filter(|c| c.status == Status::Met).count();
    let not_met = d.criteria.iter().filter(|c| c.status == Status::NotMet).count();
    let print = Callback::from(|e: MouseEvent| crate::platform::print_result(&e));
    html! {
        <>
            { banner(lang, d, has_lines) }
            if !d.support.is_empty() {
                <ul class="kc-lines">{ for d.support.iter().map(|s| line_summary(lang, s)) }</ul>
            }
            if d.outcome != kc_rules::Outcome::NotEligible && !d.hints.is_empty() {
                <ul class="kc-hints">{ for d.hints.iter().map(|h| html! { <li>{ lang.text(&h.text).to_owned() }</li> }) }</ul>
            }
            if d.priorities.iter().any(|p| p.status == Status::Met) {
                <ul class="kc-hints">
                    { for d.priorities.iter().filter(|p| p.status == Status::Met).map(|p| html! {
                        <li>{ lang.text(&p.reason).to_owned() }</li>
                    }) }
                </ul>
            }
            if !d.papers.is_empty() {
                <h4>{ lang.pick("Giấy tờ cần chuẩn bị", "Papers to prepare") }</h4>
                <ul class="kc-papers">
                    { for d.papers.iter().map(|p| html! { <li>{ lang.text(&p.label).to_owned() }</li> }) }
                </ul>
            }
            if d.support.iter().any(|s| s.rate.is_some() || s.cap.is_some() || !s.references.is_empty()) {
                <details class="kc-more">
                    <summary>{ lang.pick("Cách tính mức hỗ trợ và căn cứ", "How the amount is computed, with its basis") }</summary>
                    <ul class="kc-facts-list">{ for d.support.iter().map(|s| line_facts(lang, s)) }</ul>
                </details>
            }
            if !d.criteria.is_empty() {
                <details class="kc-more">
                    <summary>{ match lang {
                        Lang::Vi => format!("Các điều kiện: {met} đạt, {not_met} không đạt, {} chưa rõ", d.criteria.len() - met - not_met),
                        Lang::En => format!("Criteria: {met} met, {not_met} not met, {} unknown", d.criteria.len() - met - not_met),
                    } }</summary>
                    <ul class="kc-criteria">
                        // Failing criteria first: they are what the applicant came to learn.
                        { for d.criteria.iter().filter(|c| c.status == Status::NotMet)
                            .chain(d.criteria.iter().filter(|c| c.status != Status::NotMet)).map(|c| {
                            let (mark, word) = lang.status(c.status);
                            html! {
                                <li class={format!("kc-crit kc-crit--{}", status_id(c.status))}>
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
                </details>
            }
            <p class="kc-pack">
                { format!(
                    "{} {} · {} {}",
                    lang.pick("Bộ quy định", "Rule pack"),
                    lang.text(&kc_rules::pack_label(&d.pack_id)),
                    lang.pick("áp dụng ngày", "as of"),
                    kc_rules::iso_date::vi(d.as_of),
                ) }
            </p>
            if has_lines {
                <div class="kc-actions kc-noprint">
                    <button type="button" class="kc-btn kc-btn--ghost" onclick={print}>{ lang.pick("In kết quả", "Print the result") }</button>
                </div>
            }
        </>
    }
}

/// The result panel.
pub(crate) fn view(state: &State) -> Html {
    let lang = state.lang;
    html! {
        <section class="kc-card kc-result" id="kc-result" aria-labelledby="kc-result-h">
            <h3 id="kc-result-h">{ lang.pick("Kết quả tự kiểm tra", "Self-check result") }</h3>
            { match &state.decision {
                Ok(d) => decision_view(lang, d, !state.draft.application.lines.is_empty()),
                Err(e) => html! { <p class="kc-error" role="alert">{ format!("{} {e}", lang.pick("Không tính được:", "Could not compute:")) }</p> },
            } }
        </section>
    }
}
