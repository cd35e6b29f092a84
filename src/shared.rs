//! Values the facts share by reference, marked so that a converter can keep one copy of each:
//! a function type (one `Arc` per distinct type) serialised through [`serialize`] leaves its
//! address in a thread-local just before the value, as a newtype struct named [`MARKER`]; a
//! name serialised through [`text`] leaves the `Arc<str>` itself, as a newtype named
//! [`TEXT`], so the converted value holds the same bytes as the facts. Every other serializer
//! (serde_json included) sees the plain value: newtype structs are transparent.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// The newtype-struct name that marks a shared value.
pub const MARKER: &str = "wasmgate::shared";

/// The newtype-struct name that marks a shared string.
pub const TEXT: &str = "wasmgate::shared::text";

thread_local! {
    static ADDRESS: Cell<usize> = const { Cell::new(0) };
    static STRING: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// `serialize_with` for a shared string.
pub fn text<S: Serializer>(value: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    STRING.set(Some(Arc::clone(value)));
    let result = serializer.serialize_newtype_struct(TEXT, &**value);
    // A serializer that did not take it (serde_json) leaves no reference behind.
    STRING.set(None);
    result
}

/// The string a [`TEXT`] newtype holds, for a serializer to take first thing in
/// `serialize_newtype_struct`.
pub fn take_text() -> Option<Arc<str>> {
    STRING.take()
}

/// `serialize_with` for an optional shared value.
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Arc<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        None => serializer.serialize_none(),
        Some(shared) => {
            ADDRESS.set(Arc::as_ptr(shared) as usize);
            serializer.serialize_newtype_struct(MARKER, &**shared)
        }
    }
}

/// The address of the shared value a [`MARKER`] newtype holds (0 when there is none), for a
/// serializer to call first thing in `serialize_newtype_struct`: the value's identity while
/// it is borrowed for the serialisation.
pub fn take_address() -> usize {
    ADDRESS.replace(0)
}
