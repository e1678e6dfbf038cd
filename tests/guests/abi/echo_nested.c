// Nested types and spilled parameters: list<record{a: option<string>,
// b: list<u8>}>, result<variant, string> (whose flat form joins an i32
// string length into an i64 slot), and 15 parameters that flatten to 18
// core values, so the host passes them as one tuple in memory.
#include "echo_types.h"

static abi_list items_area;
EXPORT("echo-items") abi_list* echo_items(item* ptr, uint32_t len) {
  release_given();
  item* copy = give((size_t)len * sizeof *copy, 4);
  for (uint32_t i = 0; i < len; ++i) copy[i] = take_item(&ptr[i]);
  guest_free(ptr);
  items_area = (abi_list){copy, len};
  return &items_area;
}
POST_RETURN(echo_items, "echo-items")

static result_shape result_shape_area;
EXPORT("echo-result-shape")
result_shape* echo_result_shape(uint32_t is_err, uint32_t slot0, uint64_t slot1, uint32_t slot2) {
  release_given();
  result_shape_area.is_err = (uint8_t)is_err;
  if (is_err) {
    result_shape_area.val.err = take_string((char*)(uintptr_t)slot0, (uint32_t)slot1);
  } else {
    result_shape_area.val.ok = take_shape(slot0, slot1, slot2);
  }
  return &result_shape_area;
}
POST_RETURN(echo_result_shape, "echo-result-shape")

static spilled spilled_area;
EXPORT("echo-spilled") spilled* echo_spilled(spilled* params) {
  release_given();
  spilled_area = *params;
  spilled_area.m = take_string(params->m.ptr, params->m.len);
  spilled_area.n = take_list(params->n.ptr, params->n.len, 1, 1);
  guest_free(params);  // the host placed the parameter tuple with cabi_realloc
  return &spilled_area;
}
POST_RETURN(echo_spilled, "echo-spilled")
