;; Imports a global, which the engine does not provide.
(module
  (import "env" "g" (global i32))
  (func (export "go") (result i32) global.get 0))
