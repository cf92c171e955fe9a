//! The adaptive form: the support lines and the commune first, then only the questions the
//! engine still asks (plus those already answered, so they can be changed).

use kc_rules::{Line, Vnd, vnd_in_words};
use yew::prelude::*;

use crate::app::{Dispatch, capitalise};
use crate::components::commune::CommunePicker;
use crate::lang::Lang;
use crate::questions::{self, Answer, Kind};
use crate::state::{Action, State, pack};

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()
}

/// DOM id of a question's control.
fn dom_id(id: &str) -> String {
    format!("kc-q-{}", id.replace('.', "-"))
}

/// The form.
pub(crate) fn view(state: &State, dispatch: &Dispatch) -> Html {
    let lang = state.lang;
    let app = &state.draft.application;
    let missing = state.decision.as_ref().map(|d| d.missing.as_slice()).unwrap_or(&[]);
    let shown = questions::to_show(app, missing);
    let why = |id: &str| missing.iter().find(|q| q.id == id).map(|q| lang.text(&q.why).to_owned());

    let lines = Line::ALL.into_iter().map(|line| {
        let checked = app.line(line).is_some();
        let d = dispatch.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            d.dispatch(Action::ToggleLine(line, on));
        });
        let id = format!("kc-line-{}", line.id());
        html! {
            <div class="kc-check">
                <input type="checkbox" id={id.clone()} {checked} {onchange} />
                <label for={id}>{ lang.line(line) }</label>
            </div>
        }
    });

    let on_commune = {
        let d = dispatch.clone();
        Callback::from(move |code: Option<u32>| {
            d.dispatch(Action::Answer("location.commune_code".into(), Answer::Commune(code)))
        })
    };

    html! {
        <form class="kc-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
            <fieldset class="kc-card">
                <legend>{ lang.pick("1. Bạn muốn được hỗ trợ nội dung gì?", "1. What support do you want?") }</legend>
                <div class="kc-checks">{ for lines }</div>
            </fieldset>
            <div class="kc-card">
                <CommunePicker
                    {lang}
                    value={app.location.commune_code}
                    province={state.province}
                    on_pick={on_commune}
                    label={format!("2. {}", questions::label("location.commune_code", lang))}
                />
            </div>
            if !shown.is_empty() {
                <fieldset class="kc-card">
                    <legend>{ lang.pick("3. Các câu hỏi tiếp theo", "3. Next questions") }</legend>
                    <p class="kc-help">{ lang.pick(
                        "Chỉ hỏi những điều có thể làm thay đổi kết quả.",
                        "Only questions that can change the result are asked.",
                    ) }</p>
                    // Keyed by question id: when a question appears or goes away, the others
                    // keep their DOM nodes, so the field being typed in keeps focus and caret.
                    { for shown.iter().map(|id| html! {
                        <div class="kc-q" key={id.clone()}>{ question(state, dispatch, id, why(id)) }</div>
                    }) }
                </fieldset>
            }
        </form>
    }
}

fn question(state: &State, dispatch: &Dispatch, id: &str, why: Option<String>) -> Html {
    let lang = state.lang;
    let Some(kind) = questions::kind(id) else { return html! {} };
    let app = &state.draft.application;
    let label = questions::label(id, lang);
    let dom = dom_id(id);
    let help_id = format!("{dom}-help");
    let err_id = format!("{dom}-err");
    let current = questions::current_text(app, id);
    let error = state.entry_errors.get(id).map(|e| lang.pick(&e.vi, &e.en).to_owned());
    let described = {
        let mut v = Vec::new();
        if why.is_some() {
            v.push(help_id.clone());
        }
        if error.is_some() {
            v.push(err_id.clone());
        }
        (!v.is_empty()).then(|| v.join(" "))
    };
    // Always in the DOM (empty when there is nothing to say): the field's node list never
    // changes shape while it is typed in.
    let help = html! { <p class="kc-help" id={help_id.clone()} hidden={why.is_none()}>{ why.clone().unwrap_or_default() }</p> };
    // Always in the DOM, so screen readers announce an entry error when it appears (politely:
    // it may come and go while the applicant is still typing).
    let error_html =
        html! { <p class="kc-error" id={err_id.clone()} aria-live="polite">{ error.clone().unwrap_or_default() }</p> };
    let answer = {
        let d = dispatch.clone();
        let id = id.to_owned();
        Callback::from(move |a: Answer| d.dispatch(Action::Answer(id.clone(), a)))
    };
    let on_select = {
        let answer = answer.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            answer.emit(Answer::Choice(Some(v).filter(|s| !s.is_empty())));
        })
    };
    let select = |options: Vec<(String, String)>| {
        let placeholder = lang.pick("— Chọn —", "— Choose —");
        html! {
            <div class="kc-field">
                <label for={dom.clone()}>{ label.clone() }</label>
                { help.clone() }
                <select id={dom.clone()} onchange={on_select.clone()} aria-describedby={described.clone()}>
                    <option value="" selected={current.is_none()}>{ placeholder }</option>
                    { for options.into_iter().map(|(v, text)| {
                        let selected = current.as_deref() == Some(v.as_str());
                        html! { <option value={v} {selected}>{ text }</option> }
                    }) }
                </select>
            </div>
        }
    };
    match kind {
        Kind::YesNo => {
            let [first, second] = questions::yes_no_options(id);
            let radio = |value: bool, text: &str| {
                let rid = format!("{dom}-{value}");
                let answer = answer.clone();
                let onchange = Callback::from(move |_: Event| answer.emit(Answer::Bool(Some(value))));
                let checked = current.as_deref() == Some(if value { "true" } else { "false" });
                html! {
                    <span class="kc-radio">
                        <input type="radio" id={rid.clone()} name={dom.clone()} {checked} {onchange} />
                        <label for={rid}>{ text.to_owned() }</label>
                    </span>
                }
            };
            html! {
                <fieldset class="kc-field kc-yesno" aria-describedby={described.clone()}>
                    <legend>{ label.clone() }</legend>
                    { help.clone() }
                    <div class="kc-row">
                        { radio(first.0, lang.pick(first.1, first.2)) }
                        { radio(second.0, lang.pick(second.1, second.2)) }
                    </div>
                </fieldset>
            }
        }
        Kind::Choice(options) => {
            select(options.iter().map(|(v, vi, en)| ((*v).to_owned(), lang.pick(vi, en).to_owned())).collect())
        }
        Kind::Sector => select(
            pack()
                .sectors
                .iter()
                .filter(|s| s.from <= state.today)
                .map(|s| (s.id.clone(), lang.pick(&s.label_vi, &s.label_en).to_owned()))
                .collect(),
        ),
        Kind::FormerProvince => {
            let p = app
                .location
                .commune_code
                .and_then(|c| pack().commune(c))
                .and_then(|c| pack().province(c.province_code));
            let formers: Vec<(String, String)> = match p {
                Some(p) if !p.formed_from.is_empty() => {
                    p.formed_from.iter().map(|f| (f.codename.clone(), f.name.clone())).collect()
                }
                _ => pack()
                    .provinces
                    .iter()
                    .flat_map(|p| &p.formed_from)
                    .map(|f| (f.codename.clone(), f.name.clone()))
                    .collect(),
            };
            select(formers)
        }
        Kind::Money | Kind::Count | Kind::Date => {
            let raw = state.draft.raw.get(id).cloned().or(current.clone()).unwrap_or_default();
            let answer = answer.clone();
            let oninput = Callback::from(move |e: InputEvent| answer.emit(Answer::Text(input_value(&e))));
            let (input_type, mode, placeholder) = match kind {
                Kind::Money => {
                    ("text", "decimal", lang.pick("ví dụ: 300.000.000 hoặc 300 triệu", "e.g. 300.000.000 or 300 triệu"))
                }
                Kind::Count => ("text", "numeric", ""),
                _ => ("date", "", ""),
            };
            let parsed = match kind {
                Kind::Money if error.is_none() => parsed_money(app, id),
                _ => None,
            };
            let check =
                parsed.and_then(|v| questions::implausible(id, v)).map(|(vi, en)| lang.pick(&vi, &en).to_owned());
            // The echo and the check are always present: only their text follows the typing.
            let echo = money_echo(lang, parsed, &format!("{dom}-echo"));
            let check = html! { <p class="kc-check-note" id={format!("{dom}-check")} aria-live="polite">{ check.unwrap_or_default() }</p> };
            let described = match (kind, &described) {
                (Kind::Money, Some(d)) => Some(format!("{d} {dom}-echo {dom}-check")),
                (Kind::Money, None) => Some(format!("{dom}-echo {dom}-check")),
                (_, d) => d.clone(),
            };
            html! {
                <div class="kc-field">
                    <label for={dom.clone()}>{ label.clone() }</label>
                    { help.clone() }
                    <input
                        id={dom.clone()}
                        type={input_type}
                        inputmode={(!mode.is_empty()).then_some(mode)}
                        placeholder={(!placeholder.is_empty()).then(|| placeholder.to_owned())}
                        autocomplete="off"
                        value={raw}
                        {oninput}
                        aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={described}
                    />
                    if kind == Kind::Money { { echo } { check } }
                    { error_html }
                </div>
            }
        }
        Kind::Commune => html! {},
    }
}

fn parsed_money(app: &kc_rules::Application, id: &str) -> Option<Vnd> {
    match id {
        "size.revenue" => app.size.revenue,
        "size.capital" => app.size.capital,
        _ => questions::line_of(id).and_then(|l| app.line(l)).and_then(|r| r.cost),
    }
}

/// The parsed amount shown back in figures and words (an empty line while there is none).
pub(crate) fn money_echo(lang: Lang, v: Option<Vnd>, id: &str) -> Html {
    let (fig, words) = match v {
        Some(v) => (format!("= {v}"), format!(" ({})", capitalise(&vnd_in_words(v)))),
        None => Default::default(),
    };
    html! {
        <p class="kc-echo" id={id.to_owned()}>
            <span class="kc-echo-fig">{ fig }</span>
            <span class="kc-echo-words" lang="vi">{ words }</span>
            if lang == Lang::En && v.is_some() { <span class="kc-sr">{ " (amount in Vietnamese words)" }</span> }
        </p>
    }
}
