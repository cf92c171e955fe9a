//! JSON text for storage and the network.
//!
//! In the browser this goes through the browser's own `JSON.parse` / `JSON.stringify` and
//! `serde-wasm-bindgen`: the widget then carries no JSON parser or float formatter of its own
//! (serde_json was a third of the bundle's code). Natively (the state machine's tests) it is
//! `serde_json`. Both write the same text for the widget's types: maps as objects, `None` as
//! `null`, integers as numbers, money as strings.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Serializes `value` as JSON text.
#[cfg(target_arch = "wasm32")]
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let v = to_js(value)?;
    js_sys::JSON::stringify(&v).ok()?.as_string()
}

/// Parses JSON text into `T`; `None` if it is not JSON or not a `T`.
#[cfg(target_arch = "wasm32")]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(text).ok()?).ok()
}

/// `value` as a JavaScript value (host event details).
#[cfg(target_arch = "wasm32")]
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Option<wasm_bindgen::JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()
}

/// Serializes `value` as JSON text.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

/// Parses JSON text into `T`; `None` if it is not JSON or not a `T`.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// `value` as a JavaScript value (only called in the browser).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Option<wasm_bindgen::JsValue> {
    js_sys::JSON::parse(&to_string(value)?).ok()
}
