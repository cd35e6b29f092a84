;; The web frontend module: bounded memory, a small API, a producers section.
(module
  (@producers
    (language "Rust" "1.85.0")
    (processed-by "rustc" "1.85.0"))
  (import "env" "now" (func (result f64)))
  (memory (export "memory") 2 32)
  (func (export "greet") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (data (i32.const 64) "hello from wasmgate"))
