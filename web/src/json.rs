//! JSON text for storage, the network and host events: a small serde codec of our own.
//!
//! The widget's JSON is plain: objects, arrays, strings, integers, booleans and null (money
//! travels as strings). General-purpose codecs carry what it never needs, and the bundle pays
//! for it: serde_json brings float parsing and printing, serde-wasm-bindgen crosses into
//! JavaScript for every value and formats an error message (floats included) for every
//! mismatch. This codec is one pass over the text, integers only, and its error is a unit:
//! nothing is ever formatted, so serde's messages drop out of the bundle. A number with a
//! fraction or an exponent is refused where a value is read and skipped where it is ignored.
//! The same code runs natively (the state machine's tests) and in the browser; its tests check
//! it against serde_json.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde::ser::{self, Serialize};

/// Serializes `value` as JSON text; `None` for what JSON cannot hold here (floats, non-string
/// map keys that are not integers).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut out = String::new();
    value.serialize(&mut Writer { out: &mut out }).ok()?;
    Some(out)
}

/// Parses JSON text into `T`; `None` if it is not JSON or not a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = Reader { src: text, pos: 0, depth: 0 };
    let value = T::deserialize(&mut de).ok()?;
    de.skip_ws();
    (de.pos == text.len()).then_some(value)
}

/// `value` as a JavaScript value (host event details).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Option<wasm_bindgen::JsValue> {
    js_sys::JSON::parse(&to_string(value)?).ok()
}

/// Why text did not convert. Deliberately empty: see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the expected JSON")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Error
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Error
    }
}

type Result<T, E = Error> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------------
// Writing

struct Writer<'a> {
    out: &'a mut String,
}

impl Writer<'_> {
    fn uint(&mut self, mut v: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        buf[i..].iter().for_each(|&b| self.out.push(b as char));
    }

    fn int(&mut self, v: i64) {
        if v < 0 {
            self.out.push('-');
        }
        self.uint(v.unsigned_abs());
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.push_str("\\u00");
                    self.out.push(HEX[c as usize >> 4] as char);
                    self.out.push(HEX[c as usize & 15] as char);
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// `{"variant":` for the variants that carry data.
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }
}

/// A sequence, map or struct being written; `close` is what ends it (`]`, `}` or `}}` for an
/// enum variant's content).
struct Compound<'a, 'b> {
    w: &'b mut Writer<'a>,
    first: bool,
    close: &'static str,
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.w.out.push(',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.comma();
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.comma();
        self.w.string(key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<()> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl<'a, 'b> ser::Serializer for &'b mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.uint(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<()> {
        Err(Error)
    }
    fn serialize_f64(self, _: f64) -> Result<()> {
        Err(Error)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        v.iter().try_for_each(|b| ser::SerializeSeq::serialize_element(&mut seq, b))?;
        seq.end()
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        self.out.push('[');
        Ok(Compound { w: self, first: true, close: "]" })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.open_variant(variant);
        self.out.push('[');
        Ok(Compound { w: self, first: true, close: "]}" })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        self.out.push('{');
        Ok(Compound { w: self, first: true, close: "}" })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.open_variant(variant);
        self.out.push('{');
        Ok(Compound { w: self, first: true, close: "}}" })
    }
}

/// The sequence-like and struct-like compounds: each element or field written the same way.
macro_rules! compound {
    ($($trait:ident :: $method:ident ($($key:ident)?) => $write:ident;)*) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, $($key: &'static str,)? value: &T) -> Result<()> {
                self.$write($($key,)? value)
            }
            fn end(self) -> Result<()> {
                Compound::end(self)
            }
        }
    )*};
}

compound! {
    SerializeSeq::serialize_element() => element;
    SerializeTuple::serialize_element() => element;
    SerializeTupleStruct::serialize_field() => element;
    SerializeTupleVariant::serialize_field() => element;
    SerializeStruct::serialize_field(key) => field;
    SerializeStructVariant::serialize_field(key) => field;
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    /// JSON keys are strings: a key that writes as anything else (an integer) is quoted.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.comma();
        let start = self.w.out.len();
        key.serialize(&mut *self.w)?;
        match self.w.out.as_bytes().get(start) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9') => {
                self.w.out.insert(start, '"');
                self.w.out.push('"');
            }
            _ => return Err(Error),
        }
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<()> {
        Compound::end(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Nesting deeper than this is refused (text from storage or a host attribute must not be able
/// to exhaust the stack).
const MAX_DEPTH: u16 = 64;

struct Reader<'de> {
    src: &'de str,
    pos: usize,
    depth: u16,
}

/// A number as read: JSON integers only.
enum Int {
    U(u64),
    I(i64),
}

impl<'de> Reader<'de> {
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The next non-space byte, not consumed.
    fn next_token(&mut self) -> Result<u8> {
        self.skip_ws();
        self.peek().ok_or(Error)
    }

    fn eat(&mut self, b: u8) -> Result<()> {
        if self.next_token()? == b {
            self.pos += 1;
            Ok(())
        } else {
            Err(Error)
        }
    }

    fn literal(&mut self, word: &str) -> Result<()> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Error)
        }
    }

    fn enter(&mut self, open: u8) -> Result<()> {
        self.eat(open)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(Error) } else { Ok(()) }
    }

    fn leave(&mut self, close: u8) -> Result<()> {
        self.eat(close)?;
        self.depth -= 1;
        Ok(())
    }

    /// Before the next element (a comma unless it is the `first`): `true` when one follows,
    /// `false` at `close` (not consumed).
    fn more(&mut self, first: &mut bool, close: u8) -> Result<bool> {
        let b = self.next_token()?;
        if b == close {
            return Ok(false);
        }
        if !std::mem::take(first) {
            if b != b',' {
                return Err(Error);
            }
            self.pos += 1;
        }
        Ok(true)
    }

    /// A string, borrowed from the text when it has no escapes.
    fn string(&mut self) -> Result<Cow<'de, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let bytes = self.src.as_bytes();
        loop {
            match bytes.get(self.pos) {
                None => return Err(Error),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Borrowed(&self.src[start..self.pos - 1]));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return Err(Error),
                Some(_) => self.pos += 1,
            }
        }
        let mut s = String::from(&self.src[start..self.pos]);
        loop {
            let rest = &self.src[self.pos..];
            let Some(i) = rest.find(['"', '\\']) else { return Err(Error) };
            if rest[..i].bytes().any(|b| b < 0x20) {
                return Err(Error);
            }
            s.push_str(&rest[..i]);
            self.pos += i + 1;
            if rest.as_bytes()[i] == b'"' {
                return Ok(Cow::Owned(s));
            }
            let escaped = self.peek().ok_or(Error)?;
            self.pos += 1;
            s.push(match escaped {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'u' => self.unicode_escape()?,
                _ => return Err(Error),
            });
        }
    }

    /// After `\u`: one code point, a surrogate pair joined; a lone surrogate becomes U+FFFD
    /// (as the browser's text would show it).
    fn unicode_escape(&mut self) -> Result<char> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) && self.src[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                return Ok(char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(high).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.src.get(self.pos..self.pos + 4).ok_or(Error)?;
        self.pos += 4;
        digits.chars().try_fold(0, |n, c| Ok(n * 16 + c.to_digit(16).ok_or(Error)?))
    }

    /// The extent of a number token; `Err` if it is not one.
    fn number_span(&mut self) -> Result<(usize, bool)> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let mut integral = true;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while let Some(b) = bytes.get(self.pos) {
            match b {
                b'0'..=b'9' => {}
                b'.' | b'e' | b'E' | b'+' | b'-' => integral = false,
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos == digits || !bytes[digits].is_ascii_digit() {
            return Err(Error);
        }
        Ok((start, integral))
    }

    fn integer(&mut self) -> Result<Int> {
        let (start, integral) = self.number_span()?;
        if !integral {
            return Err(Error);
        }
        let text = &self.src[start..self.pos];
        let (negative, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text),
        };
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(Error);
        }
        let magnitude =
            digits.bytes().try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0'))).ok_or(Error)?;
        if !negative {
            return Ok(Int::U(magnitude));
        }
        0i64.checked_sub_unsigned(magnitude).map(Int::I).ok_or(Error)
    }

    /// Skips one value of any kind (a field nobody reads).
    fn skip(&mut self) -> Result<()> {
        match self.next_token()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let (open, close) = if self.peek() == Some(b'{') { (b'{', b'}') } else { (b'[', b']') };
                self.enter(open)?;
                let mut first = true;
                while self.more(&mut first, close)? {
                    if open == b'{' {
                        self.string()?;
                        self.eat(b':')?;
                    }
                    self.skip()?;
                }
                self.leave(close)
            }
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => self.number_span().map(drop),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.next_token()? {
            b'"' => match self.string()? {
                Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
                Cow::Owned(s) => visitor.visit_string(s),
            },
            b'{' => {
                self.enter(b'{')?;
                let value = visitor.visit_map(Elements { r: &mut *self, first: true })?;
                self.leave(b'}')?;
                Ok(value)
            }
            b'[' => {
                self.enter(b'[')?;
                let value = visitor.visit_seq(Elements { r: &mut *self, first: true })?;
                self.leave(b']')?;
                Ok(value)
            }
            b't' => self.literal("true").and_then(|()| visitor.visit_bool(true)),
            b'f' => self.literal("false").and_then(|()| visitor.visit_bool(false)),
            b'n' => self.literal("null").and_then(|()| visitor.visit_unit()),
            _ => match self.integer()? {
                Int::U(n) => visitor.visit_u64(n),
                Int::I(n) => visitor.visit_i64(n),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.next_token()? == b'n' {
            self.literal("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if self.next_token()? == b'"' {
            return visitor.visit_enum(Variant { r: self, content: false });
        }
        self.enter(b'{')?;
        let value = visitor.visit_enum(Variant { r: &mut *self, content: true })?;
        self.leave(b'}')?;
        Ok(value)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The elements of an array or the entries of an object.
struct Elements<'a, 'de> {
    r: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.r.more(&mut self.first, b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Elements<'_, 'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.r.more(&mut self.first, b'}')? {
            return Ok(None);
        }
        if self.r.next_token()? != b'"' {
            return Err(Error);
        }
        let key = seed.deserialize(Key(&mut *self.r)).map(Some)?;
        self.r.eat(b':')?;
        Ok(key)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.r)
    }
}

/// An object key: a string, or an integer written as one.
struct Key<'a, 'de>(&'a mut Reader<'de>);

impl Key<'_, '_> {
    fn integer(self) -> Result<Int> {
        let s = self.0.string()?;
        let mut r = Reader { src: &s, pos: 0, depth: 0 };
        let n = r.integer()?;
        if r.pos == s.len() { Ok(n) } else { Err(Error) }
    }
}

macro_rules! integer_keys {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.integer()? {
                Int::U(n) => visitor.visit_u64(n),
                Int::I(n) => visitor.visit_i64(n),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.deserialize_any(visitor)
    }

    integer_keys! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
        newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// An enum: `"variant"`, or `{"variant": content}` (inside the braces).
struct Variant<'a, 'de> {
    r: &'a mut Reader<'de>,
    content: bool,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = match self.r.string()? {
            Cow::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(s))?,
            Cow::Owned(s) => seed.deserialize(de::value::StringDeserializer::<Error>::new(s))?,
        };
        if self.content {
            self.r.eat(b':')?;
        }
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    fn unit_variant(self) -> Result<()> {
        if self.content { Err(Error) } else { Ok(()) }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        if !self.content {
            return Err(Error);
        }
        seed.deserialize(self.r)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        if !self.content {
            return Err(Error);
        }
        de::Deserializer::deserialize_seq(self.r, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], visitor: V) -> Result<V::Value> {
        if !self.content {
            return Err(Error);
        }
        de::Deserializer::deserialize_map(self.r, visitor)
    }
}

#[cfg(test)]
mod tests;
