//! The root component: wires the state machine to the browser (effects) and lays out the
//! form, the live result, the submit step, the outbox and the receipt.

use kc_rules::{Fund, Line, Outcome};
use serde::Serialize;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{form, lookup, outbox, receipt, result};
use crate::platform;
use crate::state::{Action, Confirm, Options, Park, SendOutcome, State};

/// What `mount` passes in.
#[derive(Properties, PartialEq)]
pub(crate) struct AppProps {
    /// Host configuration.
    pub(crate) options: Options,
    /// The mount element (host events are dispatched on it).
    pub(crate) root: web_sys::Element,
}

/// The dispatcher as the views use it.
pub(crate) type Dispatch = UseReducerDispatcher<State>;

/// `kc-result`'s detail: the summary of a decision the host may see, no answers, no
/// personal data.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ResultEvent {
    outcome: Outcome,
    lines: Vec<&'static str>,
    amount_national: i64,
    amount_local: i64,
    questions_left: usize,
    pack_id: String,
}

/// `kc-submitted`'s detail.
#[derive(Serialize)]
struct SubmittedEvent {
    outcome: Outcome,
    lines: Vec<&'static str>,
    drift: bool,
    pack_changed: bool,
}

fn result_event(state: &State) -> Option<ResultEvent> {
    let d = state.decision.as_ref().ok()?;
    Some(ResultEvent {
        outcome: d.outcome,
        lines: state.draft.application.lines.iter().map(|r| r.line.id()).collect(),
        amount_national: d.total(Fund::National).to_i64(),
        amount_local: d.total(Fund::Local).to_i64(),
        questions_left: d.missing.len(),
        pack_id: d.pack_id.to_string(),
    })
}

/// The widget.
#[component]
pub(crate) fn App(props: &AppProps) -> Html {
    let options = props.options.clone();
    let state = use_reducer(move || {
        State::new(options, platform::today(), platform::new_id(), platform::load_draft(), platform::load_outbox())
    });
    let dispatch = state.dispatcher();
    let tick = use_state(|| 0u32);

    // First render: mark it for the browser test, build the search index, ask the server
    // which rule pack it runs, retry the outbox when the browser comes back online.
    {
        let dispatch = dispatch.clone();
        let api = props.options.api_base.clone();
        use_effect_with((), move |_| {
            platform::mark("kc-first-render");
            let d = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(id) = platform::server_pack(&api).await {
                    d.dispatch(Action::ServerPack(id));
                }
            });
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "online", move |_| {
                    dispatch.dispatch(Action::RetryAll { now_ms: platform::now_ms() });
                })
            });
            // The commune index is built once, after the first paint.
            gloo::timers::callback::Timeout::new(0, || {
                crate::search::index();
            })
            .forget();
            move || drop(listener)
        });
    }

    // Move keyboard focus where the last step asked (the receipt, the outbox, a field).
    {
        let root = props.root.clone();
        use_effect_with(state.focus, move |focus| {
            if let Some((id, _)) = focus {
                platform::focus(&root, id);
            }
        });
    }

    // Autosave the draft on every change (not while a saved one is offered back).
    use_effect_with((state.draft.clone(), state.restore.is_some()), |(draft, offering)| {
        if !offering {
            platform::save_draft(draft);
        }
    });

    // Tell the host about each new result.
    {
        let root = props.root.clone();
        let event = result_event(&state);
        use_effect_with(event, move |event| {
            if let Some(e) = event {
                platform::emit(&root, "kc-result", e);
            }
        });
    }

    // The outbox: persist it, send what is due, and wake up when the next retry is due.
    {
        let dispatch = dispatch.clone();
        let api = props.options.api_base.clone();
        let root = props.root.clone();
        let tick = tick.clone();
        use_effect_with((state.outbox.clone(), *tick), move |(items, _)| {
            platform::save_outbox(items);
            let now = platform::now_ms();
            for item in items.iter().filter(|i| i.due(now)) {
                let id = item.id();
                let body = item.body.clone();
                let lines: Vec<&'static str> = item.lines.iter().map(|l| l.id()).collect();
                let client_pack = item.client_pack_id.clone();
                let (d, api, root) = (dispatch.clone(), api.clone(), root.clone());
                dispatch.dispatch(Action::Sending(id));
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = platform::send(&api, body).await;
                    if let SendOutcome::Receipt(r) = &outcome {
                        platform::emit(
                            &root,
                            "kc-submitted",
                            &SubmittedEvent {
                                outcome: r.decision.outcome,
                                lines,
                                drift: r.drift,
                                pack_changed: r.decision.pack_id != client_pack,
                            },
                        );
                    }
                    d.dispatch(Action::Sent { id, outcome, now_ms: platform::now_ms() });
                });
            }
            let next = items
                .iter()
                .filter(|i| i.state == crate::state::SendState::Waiting && i.next_try_ms > now)
                .map(|i| i.next_try_ms)
                .min();
            let timer = next.map(|at| {
                let delay = u32::try_from(at - now).unwrap_or(u32::MAX).min(300_000);
                gloo::timers::callback::Timeout::new(delay, move || tick.set(tick.wrapping_add(1)))
            });
            move || drop(timer)
        });
    }

    let lang = state.lang;
    let on_lang = {
        let dispatch = dispatch.clone();
        let other = lang.other();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLang(other)))
    };

    let body = if let Some(saved) = &state.restore {
        restore_prompt(&state, saved, &dispatch)
    } else {
        html! {
            <>
                <div class="kc-cols">
                    { form::view(&state, &dispatch) }
                    { result::view(&state) }
                </div>
                { submit_view(&state, &dispatch) }
            </>
        }
    };

    let has_receipt = state.shown_receipt().is_some();
    html! {
        <div class={classes!("kc", has_receipt.then_some("kc--receipt"))} lang={lang.tag()}>
            <header class="kc-head">
                <h2 class="kc-title">{ lang.pick("Tự kiểm tra điều kiện hỗ trợ khuyến công", "Industrial-extension support self-check") }</h2>
                <button type="button" class="kc-btn kc-btn--ghost kc-lang" lang={lang.other().tag()} onclick={on_lang}>
                    { lang.pick("English", "Tiếng Việt") }
                </button>
            </header>
            <p class="kc-intro">
                { lang.pick(
                    "Trả lời vài câu hỏi để biết cơ sở của bạn có đủ điều kiện không, được hỗ trợ bao nhiêu và cần chuẩn bị giấy tờ gì. Kết quả cập nhật ngay khi bạn trả lời.",
                    "Answer a few questions to see whether your establishment qualifies, how much support it may get and which papers to prepare. The result updates as you answer.",
                ) }
            </p>
            <div class="kc-sr" role="status" aria-live="polite" aria-atomic="true">{ state.announce.clone() }</div>
            { body }
            { receipt::view(&state) }
            { outbox::view(&state, &dispatch) }
            { lookup::view(&state) }
        </div>
    }
}

fn restore_prompt(state: &State, saved: &crate::state::Draft, dispatch: &Dispatch) -> Html {
    let lang = state.lang;
    let lines: Vec<&str> = saved.application.lines.iter().map(|r| lang.line(r.line)).collect();
    let cont = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Restore))
    };
    let over = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::StartOver(platform::new_id())))
    };
    html! {
        <section class="kc-card kc-restore" aria-labelledby="kc-restore-h">
            <h3 id="kc-restore-h">{ lang.pick("Bạn có một bản tự kiểm tra đang làm dở", "You have an unfinished self-check") }</h3>
            if !lines.is_empty() {
                <p>{ lines.join(", ") }</p>
            }
            <div class="kc-actions">
                <button type="button" class="kc-btn" onclick={cont}>{ lang.pick("Tiếp tục", "Continue") }</button>
                <button type="button" class="kc-btn kc-btn--ghost" onclick={over}>{ lang.pick("Bắt đầu lại", "Start over") }</button>
            </div>
        </section>
    }
}

fn submit_view(state: &State, dispatch: &Dispatch) -> Html {
    let lang = state.lang;
    let api = state.options.api_base.clone();
    let problems = if state.contact_checked { state.draft.contact.problems() } else { Vec::new() };
    let contact = |field: &'static str, label: &str, value: &str, kind: &'static str, auto: &'static str| {
        let d = dispatch.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            d.dispatch(Action::Contact(field, v));
        });
        let id = format!("kc-contact-{field}");
        let err_id = format!("{id}-err");
        let error = problems.iter().find(|p| p.0 == field).map(|p| lang.pick(p.1, p.2).to_owned());
        html! {
            <div class="kc-field">
                <label for={id.clone()}>{ label.to_owned() }</label>
                <input
                    id={id}
                    type={kind}
                    autocomplete={auto}
                    inputmode={(kind == "tel").then_some("tel")}
                    value={value.to_owned()}
                    {oninput}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={err_id.clone()}
                />
                <p class="kc-error" id={err_id} aria-live="polite">{ error.unwrap_or_default() }</p>
            </div>
        }
    };
    let submit = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Submit { now_ms: platform::now_ms() }))
    };
    let start_over = {
        let d = dispatch.clone();
        let ask = state.draft.has_answers() || state.draft.contact != crate::state::ContactForm::default();
        Callback::from(move |_: MouseEvent| {
            if ask {
                d.dispatch(Action::Ask(Some(Confirm::StartOver)));
            } else {
                d.dispatch(Action::StartOver(platform::new_id()));
            }
        })
    };
    let confirm_over = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::StartOver(platform::new_id())))
    };
    let cancel = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Ask(None)))
    };
    let park = {
        let d = dispatch.clone();
        let draft = state.draft.clone();
        let api = api.clone();
        Callback::from(move |_: MouseEvent| {
            let (d, draft, api) = (d.clone(), draft.clone(), api.clone());
            d.dispatch(Action::Park(Park::Busy));
            wasm_bindgen_futures::spawn_local(async move {
                let p = match platform::park(&api, &draft).await {
                    Ok(code) => Park::Parked(code),
                    Err((vi, en)) => Park::Error(vi, en),
                };
                d.dispatch(Action::Park(p));
            });
        })
    };
    let resume = {
        let d = dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let Some(input) = form.get_with_name("code") else { return };
            let code = input.unchecked_into::<web_sys::HtmlInputElement>().value();
            if code.trim().is_empty() {
                return;
            }
            let (d, api) = (d.clone(), api.clone());
            d.dispatch(Action::Park(Park::Busy));
            wasm_bindgen_futures::spawn_local(async move {
                match platform::resume(&api, &code).await {
                    Ok(p) => d.dispatch(Action::Resume(p)),
                    Err((vi, en)) => d.dispatch(Action::Park(Park::Error(vi, en))),
                }
            });
        })
    };
    let c = &state.draft.contact;
    let submitted = state.draft.submitted;
    let needs_line = state.draft.application.lines.is_empty();
    let sent_state = state.item(state.draft.client_id).map(|i| &i.state);
    html! {
        <section class="kc-card kc-submit" aria-labelledby="kc-submit-h">
            <h3 id="kc-submit-h">{ lang.pick("Gửi cho trung tâm khuyến công", "Send to the industrial-extension centre") }</h3>
            <p class="kc-help">{ lang.pick(
                "Để trung tâm liên hệ với bạn về hồ sơ, hãy nhập tên và số điện thoại (hoặc thư điện tử).",
                "So that the centre can reach you about the application, enter a name and a phone number (or an e-mail).",
            ) }</p>
            <div class="kc-grid">
                { contact("name", lang.pick("Tên cơ sở hoặc người liên hệ", "Establishment or contact name"), &c.name, "text", "organization") }
                { contact("phone", lang.pick("Số điện thoại", "Phone"), &c.phone, "tel", "tel") }
                { contact("email", lang.pick("Thư điện tử (nếu không có điện thoại)", "E-mail (if no phone)"), &c.email, "email", "email") }
            </div>
            if state.confirm == Some(Confirm::StartOver) {
                <div class="kc-confirm" role="alertdialog" aria-labelledby="kc-confirm-over">
                    <p id="kc-confirm-over">{ lang.pick(
                        "Xoá mọi câu trả lời trên máy này và bắt đầu bản mới? Không thể hoàn tác.",
                        "Delete every answer on this device and start a new self-check? This cannot be undone.",
                    ) }</p>
                    <div class="kc-actions">
                        <button type="button" class="kc-btn kc-btn--danger" onclick={confirm_over}>{ lang.pick("Xoá và bắt đầu lại", "Delete and start over") }</button>
                        <button type="button" class="kc-btn kc-btn--ghost" id="kc-confirm-no" onclick={cancel}>{ lang.pick("Không, giữ câu trả lời", "No, keep my answers") }</button>
                    </div>
                </div>
            } else {
                <div class="kc-actions">
                    <button type="button" class="kc-btn kc-btn--primary" onclick={submit} disabled={!state.can_submit()}>
                        { lang.pick("Gửi hồ sơ tự kiểm tra", "Send the self-check") }
                    </button>
                    <button type="button" class="kc-btn kc-btn--ghost" onclick={park} disabled={state.park == Park::Busy}>
                        { lang.pick("Lưu lên máy chủ để làm tiếp ở nơi khác", "Park on the server to continue elsewhere") }
                    </button>
                    <button type="button" class="kc-btn kc-btn--ghost" onclick={start_over}>
                        { lang.pick("Bắt đầu bản mới", "Start a new self-check") }
                    </button>
                </div>
            }
            if needs_line && !submitted {
                <p class="kc-help">{ lang.pick("Chọn ít nhất một nội dung hỗ trợ để gửi.", "Choose at least one support line to send.") }</p>
            }
            { match sent_state {
                Some(crate::state::SendState::Sent(r)) => html! {
                    <p class="kc-sent">{ format!("{} {}", lang.pick("Đã gửi. Mã biên nhận:", "Sent. Receipt code:"), r.code) }</p>
                },
                Some(crate::state::SendState::Sending) => html! {
                    <p class="kc-help">{ lang.pick("Đang gửi…", "Sending…") }</p>
                },
                Some(crate::state::SendState::Waiting) => html! {
                    <p class="kc-notice">{ lang.pick(
                        "Chưa gửi được: hồ sơ đang chờ trong hàng chờ trên máy này và sẽ tự gửi khi có mạng (xem mục Hồ sơ gửi đi).",
                        "Not sent yet: it waits in the outbox on this device and is sent when the connection is back (see Outbox).",
                    ) }</p>
                },
                Some(crate::state::SendState::Failed { reason_vi, reason_en }) => html! {
                    <p class="kc-error">{ lang.pick(reason_vi, reason_en).to_owned() }</p>
                },
                None => html! {},
            } }
            if submitted {
                <p class="kc-help">{ lang.pick(
                    "Muốn gửi nội dung khác, hãy bắt đầu bản mới.",
                    "To send different answers, start a new self-check.",
                ) }</p>
            }
            { match &state.park {
                Park::Parked(code) => html! {
                    <p class="kc-notice">
                        { lang.pick("Mã để làm tiếp: ", "Code to continue: ") }
                        <strong class="kc-code">{ code.clone() }</strong>
                        { lang.pick(" — nhập mã này vào ô bên dưới trên thiết bị khác.", " — enter it below on another device.") }
                    </p>
                },
                Park::Error(vi, en) => html! { <p class="kc-error" role="alert">{ lang.pick(vi, en).to_owned() }</p> },
                _ => html! {},
            } }
            <form class="kc-resume" onsubmit={resume}>
                <label for="kc-resume-code">{ lang.pick("Có mã làm tiếp? Nhập mã", "Have a code? Enter it") }</label>
                <div class="kc-row">
                    <input id="kc-resume-code" name="code" type="text" autocomplete="off" spellcheck="false" />
                    <button type="submit" class="kc-btn kc-btn--ghost">{ lang.pick("Mở bản nháp", "Open draft") }</button>
                </div>
            </form>
        </section>
    }
}

/// Capitalises the first letter (amount words start a sentence).
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| String::from(kc_rules::upper_vi(f)) + c.as_str()).unwrap_or_default()
}

/// The outcome's CSS modifier.
pub(crate) fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Eligible => "kc-outcome--yes",
        Outcome::NotEligible => "kc-outcome--no",
        Outcome::NeedMoreAnswers => "kc-outcome--more",
    }
}

/// Lines of a request, named.
pub(crate) fn line_names(lang: crate::lang::Lang, lines: impl Iterator<Item = Line>) -> String {
    lines.map(|l| lang.line(l)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::capitalise;

    #[test]
    fn capitalise_takes_the_vietnamese_capital() {
        assert_eq!(capitalise("một trăm nghìn đồng"), "Một trăm nghìn đồng");
        assert_eq!(capitalise("đồng"), "Đồng");
        assert_eq!(capitalise(""), "");
    }
}
