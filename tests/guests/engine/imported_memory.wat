;; Imports its memory (as wasm-ld --import-memory produces) with no maximum.
(module
  (import "env" "memory" (memory 1))
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u))
