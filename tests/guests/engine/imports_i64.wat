;; Imports test.add_one with (i64) -> i64 while the host defines (i32) -> i32.
(module
  (import "test" "add_one" (func $add_one (param i64) (result i64)))
  (func (export "go") (result i64) i64.const 1 call $add_one))
