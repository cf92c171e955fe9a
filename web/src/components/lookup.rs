//! "Tra cứu hồ sơ": a receipt code (any case, dashes optional) → the state, the next step
//! and the centre's comment to the applicant (`GET /applications/{code}`).

use yew::prelude::*;

use crate::app::{Dispatch, outcome_class};
use crate::components::receipt::vietnam_time;
use crate::platform;
use crate::state::{Action, Lookup, State};

/// The lookup panel.
pub(crate) fn view(state: &State, dispatch: &Dispatch) -> Html {
    let lang = state.lang;
    let onsubmit = {
        let (d, api) = (dispatch.clone(), state.options.api_base.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let Some(input) = form.get_with_name("receipt") else { return };
            let code = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(input).value();
            if code.trim().is_empty() {
                return;
            }
            let (d, api) = (d.clone(), api.clone());
            d.dispatch(Action::Lookup(Lookup::Busy));
            wasm_bindgen_futures::spawn_local(async move {
                let found = match platform::lookup(&api, &code).await {
                    Ok(s) => Lookup::Found(s),
                    Err((vi, en)) => Lookup::Error(vi, en),
                };
                d.dispatch(Action::Lookup(found));
            });
        })
    };
    let result = match &state.lookup {
        Lookup::Idle => html! {},
        Lookup::Busy => html! { <p class="kc-help">{ lang.pick("Đang tra cứu…", "Looking up…") }</p> },
        Lookup::Error(vi, en) => html! { <p class="kc-error">{ lang.pick(vi, en).to_owned() }</p> },
        Lookup::Found(s) => html! {
            <div class="kc-lookup-result">
                <dl class="kc-dl">
                    <dt>{ lang.pick("Mã biên nhận", "Receipt code") }</dt>
                    <dd><strong class="kc-code">{ s.code.clone() }</strong></dd>
                    <dt>{ lang.pick("Tình trạng", "Status") }</dt>
                    <dd><strong>{ lang.review(s.state) }</strong></dd>
                    <dt>{ lang.pick("Trung tâm nhận lúc", "Received") }</dt>
                    <dd>{ vietnam_time(&s.received_at, lang) }</dd>
                    <dt>{ lang.pick("Kết quả tự kiểm tra", "Self-check result") }</dt>
                    <dd class={classes!("kc-outcome", outcome_class(s.outcome))}>{ lang.outcome(s.outcome) }</dd>
                    <dt>{ lang.pick("Bước tiếp theo", "Next step") }</dt>
                    <dd>{ lang.text(&s.next_step).to_owned() }</dd>
                </dl>
                if let Some(c) = &s.comment {
                    <p class="kc-notice"><strong>{ lang.pick("Ghi chú của trung tâm: ", "The centre's comment: ") }</strong>{ c.clone() }</p>
                }
                <p><a href={platform::receipt_url(&state.options.api_base, &s.code, lang)} target="_blank" rel="noopener">
                    { lang.pick("Mở biên nhận để in", "Open the receipt to print") }
                </a></p>
            </div>
        },
    };
    html! {
        <section class="kc-card kc-lookup" aria-labelledby="kc-lookup-h">
            <h3 id="kc-lookup-h">{ lang.pick("Tra cứu hồ sơ đã gửi", "Look up a sent application") }</h3>
            <form {onsubmit}>
                <label for="kc-lookup-code">{ lang.pick("Mã biên nhận (ví dụ KC-7F3K-92QD-M4TX-8HJW)", "Receipt code (e.g. KC-7F3K-92QD-M4TX-8HJW)") }</label>
                <div class="kc-row">
                    <input id="kc-lookup-code" name="receipt" type="text" autocomplete="off" spellcheck="false"
                        autocapitalize="characters" value={state.lookup_code.clone()} />
                    <button type="submit" class="kc-btn" disabled={state.lookup == Lookup::Busy}>{ lang.pick("Tra cứu", "Look up") }</button>
                </div>
            </form>
            <div aria-live="polite">{ result }</div>
        </section>
    }
}
