//! `ApiJson<T>`: the JSON extractor whose rejections use our error body.
//!
//! Checks the content type (415), reads the body under the size limit (413), then
//! deserialises with `serde_path_to_error` so the field path reaches the client (400 for
//! syntax, 422 for a well-formed document of the wrong shape).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kc_api::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// JSON in, JSON out, with our errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

/// Where a request type has structs. serde's derived structs also accept a JSON array (the
/// fields in order), which the OpenAPI document does not allow and nobody means: these paths
/// must hold objects when present (`[]` = every element of an array).
pub trait Shape {
    /// Dotted paths from the document root, e.g. `application.lines[].cost`.
    const OBJECTS: &'static [&'static str];
}

const DECISION: [&str; 24] = [
    "",
    "criteria[]",
    "criteria[].reason",
    "criteria[].compared[]",
    "criteria[].citation",
    "support[]",
    "support[].rate",
    "support[].rate.citation",
    "support[].cap",
    "support[].cap.citation",
    "support[].multiplier",
    "support[].multiplier.citation",
    "support[].note",
    "support[].references[]",
    "support[].references[].label",
    "support[].references[].citation",
    "priorities[]",
    "priorities[].reason",
    "priorities[].citation",
    "missing[]",
    "missing[].why",
    "hints[]",
    "hints[].text",
    "papers[]",
];
const PAPERS: [&str; 2] = ["papers[].label", "papers[].citation"];
const APPLICATION: [&str; 6] = ["", "size", "location", "conditions", "priority", "lines[]"];

impl Shape for kc_api::Submission {
    const OBJECTS: &'static [&'static str] = &["", "contact"];
}

impl Shape for kc_api::DraftPark {
    const OBJECTS: &'static [&'static str] = &[""];
}

/// The struct paths of a submission and of a draft (besides [`Shape::OBJECTS`]).
fn nested(objects: &'static [&'static str], root_is_submission: bool) -> Vec<String> {
    let mut all: Vec<String> = objects.iter().map(|p| (*p).to_owned()).collect();
    let join = |prefix: &str, p: &str| if p.is_empty() { prefix.to_owned() } else { format!("{prefix}.{p}") };
    all.extend(APPLICATION.iter().map(|p| join("application", p)));
    if root_is_submission {
        all.extend(DECISION.iter().chain(&PAPERS).map(|p| join("client_decision", p)));
    }
    all
}

/// The first path of `paths` (see [`Shape`]) where `value` holds something other than an
/// object, as `(path with indices, what is there)`.
fn not_an_object(value: &serde_json::Value, paths: &[String]) -> Option<String> {
    fn walk(v: &serde_json::Value, steps: &[&str], at: String) -> Option<String> {
        let Some((step, rest)) = steps.split_first() else {
            return (!v.is_object() && !v.is_null()).then_some(at);
        };
        let (key, each) = match step.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (*step, false),
        };
        let child = v.get(key)?;
        let at = if at.is_empty() { key.to_owned() } else { format!("{at}.{key}") };
        if each {
            let items = child.as_array()?;
            items.iter().enumerate().find_map(|(i, item)| walk(item, rest, format!("{at}[{i}]")))
        } else {
            walk(child, rest, at)
        }
    }
    paths.iter().find_map(|p| {
        if p.is_empty() {
            return (!value.is_object()).then(String::new);
        }
        let steps: Vec<&str> = p.split('.').collect();
        walk(value, &steps, String::new())
    })
}

/// Keys whose values are lists in a submission or a draft.
const ARRAY_KEYS: [&[u8]; 9] =
    [b"lines", b"criteria", b"compared", b"support", b"references", b"priorities", b"missing", b"hints", b"papers"];

/// Whether a (valid) JSON document holds an array anywhere but under one of [`ARRAY_KEYS`]:
/// only then can a struct have been sent as an array, and the tree is looked at. A scan of
/// the bytes (strings skipped) instead of a second parse: the common body pays microseconds.
fn has_unexpected_array(bytes: &[u8]) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    let mut key_start = 0;
    let mut last_string: &[u8] = &[];
    let mut prev = b' ';
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                last_string = &bytes[key_start..i];
                prev = b'"';
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                key_start = i + 1;
            }
            b'[' => {
                // After `:` the key is the last string read; after `[` or `,` it is an
                // array inside an array.
                if prev != b':' || !ARRAY_KEYS.contains(&last_string) {
                    return true;
                }
                prev = b;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => prev = b,
        }
    }
    false
}

/// Parses a request body of a [`Shape`]d type: objects where structs are, then `T`.
pub fn parse_shaped<T: DeserializeOwned + Shape + 'static>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: T = parse(bytes)?;
    if !has_unexpected_array(bytes) {
        return Ok(value);
    }
    let is_submission = std::any::TypeId::of::<T>() == std::any::TypeId::of::<kc_api::Submission>();
    // Parsed once more as a tree only to look at the shape; bodies are at most `body_limit`.
    let tree: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| classify(String::new(), &e))?;
    if let Some(path) = not_an_object(&tree, &nested(T::OBJECTS, is_submission)) {
        return Err(ApiError::BadInput {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "validation",
            message: "Dữ liệu không đúng định dạng / The data does not have the expected shape".to_owned(),
            fields: vec![FieldError {
                path,
                message: "sai kiểu dữ liệu / invalid type: expected an object".to_owned(),
            }],
        });
    }
    Ok(value)
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned + Shape + 'static,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e: BytesRejection| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadInput {
                    status: StatusCode::BAD_REQUEST,
                    code: "bad_body",
                    message: "Không đọc được dữ liệu gửi lên / Could not read the request body".to_owned(),
                    fields: Vec::new(),
                }
            }
        })?;
        parse_shaped(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document into `T`, naming the failing path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let path = if path == "." { String::new() } else { path };
        classify(path, &err.into_inner())
    })?;
    // Trailing garbage after the document is a syntax error too.
    de.end().map_err(|e| classify(String::new(), &e))?;
    Ok(value)
}

fn classify(path: String, inner: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let detail = inner.to_string();
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::BadInput {
            status: StatusCode::BAD_REQUEST,
            code: "malformed_json",
            message: "Dữ liệu không phải JSON hợp lệ / The body is not valid JSON".to_owned(),
            fields: vec![FieldError { path, message: format!("JSON lỗi cú pháp / {detail}") }],
        },
        Category::Data => ApiError::BadInput {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "validation",
            message: "Dữ liệu không đúng định dạng / The data does not have the expected shape".to_owned(),
            fields: vec![FieldError { path, message: field_message(&detail) }],
        },
    }
}

/// Adds a Vietnamese gloss to serde's English message for the common cases.
fn field_message(detail: &str) -> String {
    let vi = if detail.starts_with("missing field") {
        "thiếu trường bắt buộc"
    } else if detail.starts_with("unknown field") {
        "trường không được hỗ trợ"
    } else if detail.starts_with("unknown variant") {
        "giá trị không có trong danh mục"
    } else if detail.starts_with("invalid type") {
        "sai kiểu dữ liệu"
    } else if detail.starts_with("invalid value") || detail.starts_with("invalid length") {
        "giá trị không hợp lệ"
    } else {
        "không hợp lệ"
    };
    // Drop serde's " at line L column C": the path already says where.
    let english = detail.split(" at line ").next().unwrap_or(detail);
    format!("{vi} / {english}")
}

fn is_json(req: &Request) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::has_unexpected_array;

    #[test]
    fn only_arrays_outside_the_list_keys_need_a_closer_look() {
        assert!(!has_unexpected_array(br#"{"application":{"lines":[{"line":"machinery"}]},"x":"[not an array]"}"#));
        assert!(!has_unexpected_array(br#"{"client_decision":{"criteria":[{"compared":[]}]},"k":"a\"[" }"#));
        assert!(has_unexpected_array(br#"{"application":{"size":[null,1]}}"#));
        assert!(has_unexpected_array(br#"{"application":{"lines":[[1]]}}"#));
        assert!(has_unexpected_array(br#"{"application":{"lines":[{}, ["x"]]}}"#));
        assert!(has_unexpected_array(br#"["a"]"#));
    }
}
