// The import direction: each relay export passes its parameters to a host
// function (defined by the test with abi::host_function) and hands the host's
// answer back. Results of more than one core value come back through a return
// pointer the guest passes last; their strings and lists were placed by the
// host with cabi_realloc, so the guest owns them and frees them at post-return.
#include "echo_types.h"

HOST_IMPORT("reverse-items") void host_reverse_items(const item* ptr, uint32_t len, abi_list* ret);
HOST_IMPORT("transform-spilled") void host_transform_spilled(const spilled* params, spilled* ret);
HOST_IMPORT("check-shape")
void host_check_shape(uint32_t is_err, uint32_t slot0, uint64_t slot1, uint32_t slot2,
                      result_shape* ret);
HOST_IMPORT("add-u64") uint64_t host_add_u64(uint64_t a, uint64_t b);

static void free_item(const item* value) {
  if (value->a.is_some) guest_free(value->a.val.ptr);
  guest_free(value->b.ptr);
}

static abi_list items_area;
EXPORT("relay-items") abi_list* relay_items(item* ptr, uint32_t len) {
  release_given();
  host_reverse_items(ptr, len, &items_area);
  const item* answer = items_area.ptr;
  for (uint32_t i = 0; i < items_area.len; ++i) give_owned_item(&answer[i]);
  give_owned(items_area.ptr);
  for (uint32_t i = 0; i < len; ++i) free_item(&ptr[i]);
  guest_free(ptr);
  return &items_area;
}
POST_RETURN(relay_items, "relay-items")

static spilled spilled_area;
EXPORT("relay-spilled") spilled* relay_spilled(spilled* params) {
  release_given();
  // The parameter tuple is already in memory: the import takes it by pointer too.
  host_transform_spilled(params, &spilled_area);
  give_owned(spilled_area.m.ptr);
  give_owned(spilled_area.n.ptr);
  guest_free(params->m.ptr);
  guest_free(params->n.ptr);
  guest_free(params);
  return &spilled_area;
}
POST_RETURN(relay_spilled, "relay-spilled")

static result_shape shape_area;
EXPORT("relay-result-shape")
result_shape* relay_result_shape(uint32_t is_err, uint32_t slot0, uint64_t slot1, uint32_t slot2) {
  release_given();
  // Same flat form on both sides: pass the values straight through.
  host_check_shape(is_err, slot0, slot1, slot2, &shape_area);
  if (shape_area.is_err) {
    give_owned(shape_area.val.err.ptr);
  } else {
    give_owned_shape(&shape_area.val.ok);
  }
  if (is_err) {
    guest_free((void*)(uintptr_t)slot0);
  } else if (slot0 == SHAPE_TEXT) {
    guest_free((void*)(uintptr_t)(uint32_t)slot1);
  }
  return &shape_area;
}
POST_RETURN(relay_result_shape, "relay-result-shape")

EXPORT("relay-add") uint64_t relay_add(uint64_t a, uint64_t b) {
  return host_add_u64(a, b);
}
