//! The input document as a regorus value, built straight from the Rust types: no JSON text and
//! no `serde_json` tree on the way into the engine (on a module with 75 000 exports those two
//! copies were most of the run). Field names are shared, not allocated per object.
//!
//! The mapping is serde_json's: `None` and unit are null, unit variants are strings, newtype
//! variants are one-key objects, map keys must be strings (numbers are written as text).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use regorus::Value;
use serde::ser::{self, Serialize};

/// Why a value has no Rego form.
#[derive(Debug, thiserror::Error)]
pub enum ToRegoError {
    /// A value serde cannot map (a non-string map key, say).
    #[error("{0}")]
    Unmappable(String),
    /// The JSON form would be larger than the budget given.
    #[error("its JSON form is larger than {0} bytes")]
    TooLarge(u64),
}

impl ser::Error for ToRegoError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        ToRegoError::Unmappable(message.to_string())
    }
}

/// Converts `value` to a regorus value.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    to_value_within(value, u64::MAX).map(|(value, _)| value)
}

/// Converts `value`, with the length of its compact JSON form (serde_json's, exactly, but for
/// floats, which are counted as Rust prints them); stops with `TooLarge` as soon as that passes
/// `limit`, so a hostile artifact never gets its whole document built.
pub fn to_value_within<T: Serialize + ?Sized>(value: &T, limit: u64) -> Result<(Value, u64)> {
    let mut keys = Keys {
        limit,
        ..Keys::default()
    };
    let value = value.serialize(Ser { keys: &mut keys })?;
    Ok((value, keys.written))
}

/// The length of `text` as a JSON string: quotes, and serde_json's escapes.
fn json_str_len(text: &str) -> u64 {
    let needs_escape = |byte: &u8| *byte < 0x20 || *byte == b'"' || *byte == b'\\';
    // Most strings have nothing to escape.
    if !text.as_bytes().iter().any(needs_escape) {
        return text.len() as u64 + 2;
    }
    let escaped: u64 = text
        .bytes()
        .map(|byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum();
    escaped + 2
}

/// The length of `n` in decimal, with its sign.
fn signed_len(n: i64) -> u64 {
    u64::from(n < 0) + digits(n.unsigned_abs())
}

/// The number of decimal digits of `n`.
fn digits(n: u64) -> u64 {
    n.checked_ilog10().map_or(1, |d| u64::from(d) + 1)
}

/// What one conversion shares: one string value per distinct field name and per distinct
/// short string (kinds and value types repeat on every import and export), one value per
/// value the facts share by reference (a function type), one template per struct shape; and
/// the JSON length counted so far.
#[derive(Default)]
struct Keys {
    /// By the address and length of the `&'static str` serde passes (one per field of each
    /// type).
    names: FxHashMap<(usize, usize), Value>,
    short: FxHashMap<Box<str>, Value>,
    /// Lists of short strings (parameter and result types), by their items' addresses.
    lists: FxHashMap<Vec<usize>, Value>,
    /// Values the facts share by reference (`crate::shared`), by address, with the length
    /// of their JSON form.
    shared: FxHashMap<usize, (Value, u64)>,
    /// One empty object per struct and set of fields serialised, by the struct name's address:
    /// each value is a copy of it with the fields filled in, so no object is sorted or built
    /// up key by key (on a module with 75 000 exports that was half of the conversion).
    shapes: FxHashMap<usize, Vec<Shape>>,
    /// JSON bytes counted so far, and the most allowed.
    written: u64,
    limit: u64,
}

/// The fields one struct serialised, in order, and a frozen object with those keys and null
/// values.
struct Shape {
    names: Vec<&'static str>,
    keys: Vec<Value>,
    template: regorus::value::Object,
}

impl Shape {
    fn fits(&self, fields: &[(&'static str, Value)]) -> bool {
        self.names.len() == fields.len()
            && self
                .names
                .iter()
                .zip(fields)
                .all(|(a, (b, _))| std::ptr::eq(*a, *b))
    }
}

/// Where a shared string lives (its identity while the converter shares it).
fn address(value: &Value) -> usize {
    match value {
        Value::String(text) => std::sync::Arc::as_ptr(text).cast::<u8>() as usize,
        _ => 0,
    }
}

/// Strings up to this length are shared.
const SHORT: usize = 16;

impl Keys {
    /// Counts `bytes` more of JSON.
    fn spend(&mut self, bytes: u64) -> Result<()> {
        self.written = self.written.saturating_add(bytes);
        if self.written > self.limit {
            return Err(ToRegoError::TooLarge(self.limit));
        }
        Ok(())
    }

    fn get(&mut self, name: &'static str) -> Value {
        self.names
            .entry((name.as_ptr() as usize, name.len()))
            .or_insert_with(|| Value::from(name))
            .clone()
    }

    /// A list of short strings: each item was shared, so the items' addresses identify it.
    fn list(&mut self, items: Vec<Value>) -> Value {
        let short = |item: &Value| matches!(item, Value::String(text) if text.len() <= SHORT);
        if !items.iter().all(short) {
            return Value::from(items);
        }
        let key: Vec<usize> = items.iter().map(address).collect();
        self.lists
            .entry(key)
            .or_insert_with(|| Value::from(items))
            .clone()
    }

    /// A struct's fields as an object: a copy of its shape's template with the values set.
    fn object(&mut self, name: &'static str, fields: Vec<(&'static str, Value)>) -> Value {
        let id = name.as_ptr() as usize;
        let known = self
            .shapes
            .get(&id)
            .and_then(|shapes| shapes.iter().position(|shape| shape.fits(&fields)));
        let index = match known {
            Some(index) => index,
            None => {
                let names: Vec<&'static str> = fields.iter().map(|(name, _)| *name).collect();
                let keys: Vec<Value> = names.iter().map(|name| self.get(name)).collect();
                let entries = keys
                    .iter()
                    .map(|key| (key.clone(), Value::Null))
                    .collect::<BTreeMap<_, _>>();
                // Freezing happens on the way into a value; the copy kept is the frozen one.
                let template = match Value::from(entries) {
                    Value::Object(object) => (*object).clone(),
                    _ => regorus::value::Object::new(),
                };
                let shapes = self.shapes.entry(id).or_default();
                shapes.push(Shape {
                    names,
                    keys,
                    template,
                });
                shapes.len() - 1
            }
        };
        let Some(shape) = self.shapes.get(&id).and_then(|shapes| shapes.get(index)) else {
            return Value::Null;
        };
        // A frozen object stays frozen when only its values change.
        let mut object = shape.template.clone();
        for (key, (_, value)) in shape.keys.iter().zip(fields) {
            if let Some(slot) = object.get_mut(key) {
                *slot = value;
            }
        }
        object.into_value()
    }

    fn text(&mut self, text: &str) -> Value {
        if text.len() > SHORT {
            return Value::from(text);
        }
        if let Some(value) = self.short.get(text) {
            return value.clone();
        }
        let value = Value::from(text);
        self.short.insert(text.into(), value.clone());
        value
    }
}

struct Ser<'k> {
    keys: &'k mut Keys,
}

impl<'k> Ser<'k> {
    fn again(&mut self) -> Ser<'_> {
        Ser { keys: self.keys }
    }
}

type Result<T> = std::result::Result<T, ToRegoError>;

/// Integers widen losslessly to the two number types regorus takes.
macro_rules! integers {
    ($($method:ident($ty:ty) as $wide:ty, $len:ident),* $(,)?) => {
        $(
            fn $method(self, v: $ty) -> Result<Value> {
                let v = <$wide>::from(v);
                self.keys.spend($len(v))?;
                Ok(Value::from(v))
            }
        )*
    };
}

impl<'k> ser::Serializer for Ser<'k> {
    type Ok = Value;
    type Error = ToRegoError;
    type SerializeSeq = Seq<'k>;
    type SerializeTuple = Seq<'k>;
    type SerializeTupleStruct = Seq<'k>;
    type SerializeTupleVariant = Variant<'k, Seq<'k>>;
    type SerializeMap = Map<'k>;
    type SerializeStruct = Map<'k>;
    type SerializeStructVariant = Variant<'k, Map<'k>>;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        self.keys.spend(if v { 4 } else { 5 })?;
        Ok(Value::from(v))
    }
    integers! {
        serialize_i8(i8) as i64, signed_len,
        serialize_i16(i16) as i64, signed_len,
        serialize_i32(i32) as i64, signed_len,
        serialize_i64(i64) as i64, signed_len,
        serialize_u8(u8) as u64, digits,
        serialize_u16(u16) as u64, digits,
        serialize_u32(u32) as u64, digits,
        serialize_u64(u64) as u64, digits,
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        // serde_json writes a non-finite float as null; so does the document's JSON form.
        Ok(if v.is_finite() {
            self.keys.spend(v.to_string().len() as u64)?;
            Value::from(v)
        } else {
            self.keys.spend(4)?;
            Value::Null
        })
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        let text = v.to_string();
        self.keys.spend(json_str_len(&text))?;
        Ok(Value::from(text))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        self.keys.spend(json_str_len(v))?;
        Ok(self.keys.text(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        let written: u64 = v.iter().map(|b| digits(u64::from(*b)) + 1).sum();
        self.keys.spend(written.max(1) + 1)?;
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value> {
        self.keys.spend(4)?;
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        self.keys.spend(4)?;
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        self.keys.spend(4)?;
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        self.keys.spend(json_str_len(variant))?;
        Ok(self.keys.get(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        if name == crate::shared::TEXT
            && let Some(text) = crate::shared::take_text()
        {
            self.keys.spend(json_str_len(&text))?;
            return Ok(Value::String(text));
        }
        let address = if name == crate::shared::MARKER {
            crate::shared::take_address()
        } else {
            0
        };
        if address == 0 {
            return value.serialize(self);
        }
        if let Some((shared, written)) = self.keys.shared.get(&address) {
            let (shared, written) = (shared.clone(), *written);
            self.keys.spend(written)?;
            return Ok(shared);
        }
        let before = self.keys.written;
        let converted = value.serialize(self.again())?;
        let written = self.keys.written - before;
        self.keys
            .shared
            .insert(address, (converted.clone(), written));
        Ok(converted)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        // {"variant":value}
        self.keys.spend(json_str_len(variant) + 3)?;
        let inner = value.serialize(self.again())?;
        let key = self.keys.get(variant);
        Ok(Value::from(BTreeMap::from([(key, inner)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'k>> {
        self.keys.spend(2)?;
        Ok(Seq {
            keys: self.keys,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'k>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'k>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'k, Seq<'k>>> {
        self.keys.spend(json_str_len(variant) + 3)?;
        let key = self.keys.get(variant);
        Ok(Variant {
            key,
            inner: self.serialize_seq(Some(len))?,
            _keys: std::marker::PhantomData,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'k>> {
        self.keys.spend(2)?;
        Ok(Map {
            keys: self.keys,
            entries: BTreeMap::new(),
            next_key: None,
            name: "",
            fields: Vec::new(),
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Map<'k>> {
        let mut map = self.serialize_map(Some(len))?;
        map.name = name;
        map.fields.reserve_exact(len);
        Ok(map)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'k, Map<'k>>> {
        self.keys.spend(json_str_len(variant) + 3)?;
        let key = self.keys.get(variant);
        Ok(Variant {
            key,
            inner: self.serialize_struct(variant, len)?,
            _keys: std::marker::PhantomData,
        })
    }
}

struct Seq<'k> {
    keys: &'k mut Keys,
    items: Vec<Value>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if !self.items.is_empty() {
            self.keys.spend(1)?;
        }
        let item = value.serialize(Ser { keys: self.keys })?;
        self.items.push(item);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.keys.list(self.items))
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::from(self.items))
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::from(self.items))
    }
}

/// A map's entries, or a struct's fields in the order serialised.
struct Map<'k> {
    keys: &'k mut Keys,
    entries: BTreeMap<Value, Value>,
    next_key: Option<Value>,
    /// The struct's (or struct variant's) name.
    name: &'static str,
    fields: Vec<(&'static str, Value)>,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        // A comma before every entry but the first, and the colon.
        let separators = u64::from(!self.entries.is_empty()) + 1;
        let key = match key.serialize(Ser { keys: self.keys })? {
            key @ Value::String(_) => key,
            number @ Value::Number(_) => {
                // Written in quotes: two more than the number.
                self.keys.spend(2)?;
                Value::from(
                    number
                        .to_json_str()
                        .map_err(|e| ToRegoError::Unmappable(e.to_string()))?,
                )
            }
            Value::Bool(b) => {
                self.keys.spend(2)?;
                Value::from(b.to_string())
            }
            _ => {
                return Err(ToRegoError::Unmappable(
                    "a map key must be a string".to_string(),
                ));
            }
        };
        self.keys.spend(separators)?;
        self.next_key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| ToRegoError::Unmappable("a map value without its key".to_string()))?;
        let value = value.serialize(Ser { keys: self.keys })?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::from(self.entries))
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        // "name": and a comma before every field but the first.
        let separators = u64::from(!self.fields.is_empty()) + 1;
        self.keys.spend(json_str_len(name) + separators)?;
        let value = value.serialize(Ser { keys: self.keys })?;
        self.fields.push((name, value));
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(self.keys.object(self.name, self.fields))
    }
}

struct Variant<'k, T> {
    key: Value,
    inner: T,
    _keys: std::marker::PhantomData<&'k ()>,
}

impl ser::SerializeTupleVariant for Variant<'_, Seq<'_>> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Value> {
        let inner = Value::from(self.inner.items);
        Ok(Value::from(BTreeMap::from([(self.key, inner)])))
    }
}

impl ser::SerializeStructVariant for Variant<'_, Map<'_>> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, name, value)
    }
    fn end(self) -> Result<Value> {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(Value::from(BTreeMap::from([(self.key, inner)])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { side: f64 },
    }

    #[derive(Serialize)]
    struct Doc {
        name: String,
        missing: Option<u32>,
        nan: f64,
        shapes: Vec<Shape>,
        counts: BTreeMap<u32, i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    /// The direct value equals the one regorus makes from serde_json's JSON text.
    #[test]
    fn agrees_with_the_json_route() {
        let doc = Doc {
            name: "a \"quoted\" ✓".to_string(),
            missing: None,
            nan: f64::NAN,
            shapes: vec![
                Shape::Unit,
                Shape::New(7),
                Shape::Tuple(1, true),
                Shape::Struct { side: 2.5 },
            ],
            counts: BTreeMap::from([(3, -1), (10, 2)]),
            skipped: None,
        };
        let direct = to_value(&doc).unwrap_or(Value::Undefined);
        let text = serde_json::to_string(&doc).unwrap_or_default();
        let via_json = Value::from_json_str(&text).unwrap_or(Value::Undefined);
        assert_eq!(direct, via_json, "{text}");
    }

    /// The length counted on the way is the length of serde_json's text, and a budget one byte
    /// short of it stops the conversion.
    #[test]
    fn counts_the_json_length() {
        let doc = Doc {
            name: "tab\t, quote \", control \u{1}, é".to_string(),
            missing: Some(1234),
            nan: -0.5,
            shapes: vec![Shape::Unit, Shape::New(255), Shape::Tuple(0, false)],
            counts: BTreeMap::from([(0, i64::MIN), (u32::MAX, i64::MAX)]),
            skipped: Some(9),
        };
        let text = serde_json::to_string(&doc).unwrap_or_default();
        let length = text.len() as u64;
        let counted = to_value_within(&doc, length).map(|(_, n)| n);
        assert_eq!(counted.ok(), Some(length), "{text}");
        let short = to_value_within(&doc, length - 1);
        assert!(matches!(short, Err(ToRegoError::TooLarge(_))), "{text}");
        let empty: Vec<Doc> = Vec::new();
        assert_eq!(to_value_within(&empty, 2).map(|(_, n)| n).ok(), Some(2));
    }
}
