;; Multi-value results and an import with a mismatching signature: things
;; clang does not emit from C.
(module
  (func (export "swap") (param i32 i64) (result i64 i32)
    local.get 1
    local.get 0)
  (func (export "f32_roundtrip") (param f32) (result f32) local.get 0)
  ;; Unbounded recursion on the wasm stack itself (no shadow stack in memory).
  (func $deeper (export "recurse_forever") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $deeper i32.const 1 i32.add)
  (memory (export "memory") 1))
