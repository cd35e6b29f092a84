;; A WASI command line tool: preview 1 imports, unbounded memory, no producers section,
;; and a source map URL left in by the build.
(module
  (@custom "sourceMappingURL" "cli.wasm.map")
  (import "wasi_snapshot_preview1" "fd_write"
    (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (memory (export "memory") 17)
  (data (i32.const 8) "wasmgate says hi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 17))
    (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
    (call 1 (i32.const 0))))
