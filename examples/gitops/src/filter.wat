;; An edge filter: writes through WASI and a host function, memory of up to 128 MiB.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "fs_write" (func (param i32 i32) (result i32)))
  (memory (export "memory") 1 2048)
  (func (export "filter") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call 1))
