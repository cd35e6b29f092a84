//! Frees large values on a helper thread, so the run does not wait for it: the input of a
//! module with 75 000 exports is hundreds of thousands of allocations, and the process often
//! exits before they would all have been freed.

/// Drops `value` on another thread (or here, if no thread can be started).
pub fn drop_later<T: Send + 'static>(value: T) {
    // A failed spawn drops the closure, and the value with it, on this thread.
    let _ = std::thread::Builder::new()
        .name("wasmgate-free".to_string())
        .spawn(move || drop(value));
}
