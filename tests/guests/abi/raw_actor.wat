;; A theater actor written straight to the canonical ABI: no SDK, no libc.
;;
;;   init: func(state: option<list<u8>>, params: tuple<string>)
;;         -> result<tuple<option<list<u8>>>, string>
;;   core: (state-is-some i32, state-ptr i32, state-len i32, id-ptr i32, id-len i32)
;;         -> (return-area i32)
;;
;; The new state is the old one (empty when none) followed by "|" and the actor
;; id; an empty id is err("actor id is empty"). Return area (16 bytes, align 4):
;; 0: result discriminant (u8); ok: 4: option discriminant (u8), 8: ptr, 12: len;
;; err: 4: ptr, 8: len.
;;
;; Memory is a bump heap from 1024 up, grown on demand. Everything of one call
;; (the host's copies of the parameters and the new state) lives there until
;; cabi_post_ resets the heap.
(module
  (memory (export "memory") 1)
  (global $heap_base i32 (i32.const 1024))
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 64) "actor id is empty")
  (global $empty_id_msg i32 (i32.const 64))
  (global $empty_id_len i32 (i32.const 17))
  (global $return_area i32 (i32.const 16))

  ;; Bump allocation of $size bytes aligned to $align (a power of two).
  (func $alloc (param $align i32) (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    (local.set $ptr
      (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
               (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))  ;; wrapped
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq
              (memory.grow
                (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535))
                           (i32.const 16)))
              (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $ptr))

  ;; Any reallocation is a fresh block plus a copy (old blocks die at post-return).
  (func (export "cabi_realloc")
        (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
    (local $ptr i32)
    (local.set $ptr (call $alloc (local.get $align) (local.get $new_size)))
    (if (local.get $old)
      (then
        (memory.copy (local.get $ptr) (local.get $old)
          (select (local.get $old_size) (local.get $new_size)
                  (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $ptr))

  (func (export "theater:simple/actor#init")
        (param $state_is_some i32) (param $state_ptr i32) (param $state_len i32)
        (param $id_ptr i32) (param $id_len i32) (result i32)
    (local $old_len i32) (local $new_len i32) (local $new i32)
    (if (i32.eqz (local.get $id_len))
      (then
        (i32.store8 (global.get $return_area) (i32.const 1))  ;; err
        (i32.store offset=4 (global.get $return_area) (global.get $empty_id_msg))
        (i32.store offset=8 (global.get $return_area) (global.get $empty_id_len))
        (return (global.get $return_area))))
    (local.set $old_len (select (local.get $state_len) (i32.const 0) (local.get $state_is_some)))
    (local.set $new_len (i32.add (i32.add (local.get $old_len) (i32.const 1)) (local.get $id_len)))
    (local.set $new (call $alloc (i32.const 1) (local.get $new_len)))
    (memory.copy (local.get $new) (local.get $state_ptr) (local.get $old_len))
    (i32.store8 (i32.add (local.get $new) (local.get $old_len)) (i32.const 124))  ;; '|'
    (memory.copy (i32.add (i32.add (local.get $new) (local.get $old_len)) (i32.const 1))
                 (local.get $id_ptr) (local.get $id_len))
    (i32.store8 (global.get $return_area) (i32.const 0))              ;; ok
    (i32.store8 offset=4 (global.get $return_area) (i32.const 1))     ;; some
    (i32.store offset=8 (global.get $return_area) (local.get $new))
    (i32.store offset=12 (global.get $return_area) (local.get $new_len))
    (global.get $return_area))

  ;; The host has copied the answer out: the whole call's heap is free again.
  (func (export "cabi_post_theater:simple/actor#init") (param $return_area i32)
    (global.set $heap (global.get $heap_base)))

  ;; For the test: where the next allocation starts.
  (func (export "heap-top") (result i32) (global.get $heap))
)
