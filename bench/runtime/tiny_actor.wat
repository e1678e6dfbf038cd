;; The smallest actor, written straight to the canonical ABI: one page of
;; memory, a bump allocator, and init returning ok((none)) through its return
;; area (result<tuple<option<list<u8>>>, string>: tag at 0, option tag at 4).
(module
  (memory (export "memory") 1 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32)
        (result i32)
    (local $p i32)
    global.get $bump
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.tee $p
    local.get $size i32.add
    global.set $bump
    local.get $p)
  (func (export "theater:simple/actor#init") (param i32 i32 i32 i32 i32) (result i32)
    ;; The id string was allocated for this call only: reclaim it.
    i32.const 1024 global.set $bump
    i32.const 16 i32.const 0 i32.store8
    i32.const 20 i32.const 0 i32.store8
    i32.const 16))
