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
#[error("{0}")]
pub struct ToRegoError(String);

impl ser::Error for ToRegoError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        ToRegoError(message.to_string())
    }
}

/// Converts `value` to a regorus value.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    let mut keys = Keys::default();
    value.serialize(Ser { keys: &mut keys })
}

/// One string value per distinct field name, per distinct short string (kinds and value
/// types repeat on every import and export), and per distinct value of the small structs that
/// repeat (a function type is shared by every import and export that has it).
#[derive(Default)]
struct Keys {
    /// By the address and length of the `&'static str` serde passes (one per field of each
    /// type).
    names: FxHashMap<(usize, usize), Value>,
    short: FxHashMap<Box<str>, Value>,
    /// Lists of short strings (parameter and result types), by their items' addresses.
    lists: FxHashMap<Vec<usize>, Value>,
    /// `SHARED` structs, by their fields' addresses.
    shared: FxHashMap<Vec<usize>, Value>,
}

/// Structs whose values repeat: each distinct one is built once.
const SHARED: &[&str] = &["FuncType"];

/// Where a string, list or object value lives (its identity while the converter shares it).
fn address(value: &Value) -> usize {
    match value {
        Value::String(text) => std::sync::Arc::as_ptr(text).cast::<u8>() as usize,
        Value::Array(items) => std::sync::Arc::as_ptr(items) as usize,
        Value::Object(fields) => std::sync::Arc::as_ptr(fields) as usize,
        _ => 0,
    }
}

/// Strings up to this length are shared.
const SHORT: usize = 16;

impl Keys {
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

    /// A `SHARED` struct whose fields are all shared values.
    fn share(&mut self, entries: BTreeMap<Value, Value>) -> Value {
        let key: Option<Vec<usize>> = entries
            .values()
            .map(|value| match value {
                Value::Null => Some(0),
                Value::String(_) | Value::Array(_) | Value::Object(_) => Some(address(value)),
                _ => None,
            })
            .collect();
        match key {
            Some(key) => self
                .shared
                .entry(key)
                .or_insert_with(|| Value::from(entries))
                .clone(),
            None => Value::from(entries),
        }
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
    ($($method:ident($ty:ty) as $wide:ty),* $(,)?) => {
        $(
            fn $method(self, v: $ty) -> Result<Value> {
                Ok(Value::from(<$wide>::from(v)))
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
        Ok(Value::from(v))
    }
    integers! {
        serialize_i8(i8) as i64,
        serialize_i16(i16) as i64,
        serialize_i32(i32) as i64,
        serialize_i64(i64) as i64,
        serialize_u8(u8) as u64,
        serialize_u16(u16) as u64,
        serialize_u32(u32) as u64,
        serialize_u64(u64) as u64,
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        // serde_json writes a non-finite float as null; so does the document's JSON form.
        Ok(if v.is_finite() {
            Value::from(v)
        } else {
            Value::Null
        })
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        Ok(Value::from(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(self.keys.text(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(self.keys.get(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        let inner = value.serialize(self.again())?;
        let key = self.keys.get(variant);
        Ok(Value::from(BTreeMap::from([(key, inner)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'k>> {
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
        let key = self.keys.get(variant);
        Ok(Variant {
            key,
            inner: self.serialize_seq(Some(len))?,
            _keys: std::marker::PhantomData,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'k>> {
        Ok(Map {
            keys: self.keys,
            entries: BTreeMap::new(),
            next_key: None,
            shared: false,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Map<'k>> {
        let mut map = self.serialize_map(Some(len))?;
        map.shared = SHARED.contains(&name);
        Ok(map)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'k, Map<'k>>> {
        let key = self.keys.get(variant);
        Ok(Variant {
            key,
            inner: self.serialize_map(Some(len))?,
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

struct Map<'k> {
    keys: &'k mut Keys,
    entries: BTreeMap<Value, Value>,
    next_key: Option<Value>,
    /// A struct of `SHARED`.
    shared: bool,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Value;
    type Error = ToRegoError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = match key.serialize(Ser { keys: self.keys })? {
            key @ Value::String(_) => key,
            number @ Value::Number(_) => Value::from(
                number
                    .to_json_str()
                    .map_err(|e| ToRegoError(e.to_string()))?,
            ),
            Value::Bool(b) => Value::from(b.to_string()),
            _ => return Err(ToRegoError("a map key must be a string".to_string())),
        };
        self.next_key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| ToRegoError("a map value without its key".to_string()))?;
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
        let value = value.serialize(Ser { keys: self.keys })?;
        let key = self.keys.get(name);
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(if self.shared {
            self.keys.share(self.entries)
        } else {
            Value::from(self.entries)
        })
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
}
