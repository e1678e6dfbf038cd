// Taking ownership of parameters by copying them (see echo_types.h).
#include <string.h>

#include "echo_types.h"

abi_string take_string(char* ptr, uint32_t len) {
  abi_string copy = give_string(ptr, len);
  guest_free(ptr);
  return copy;
}

abi_list take_list(void* ptr, uint32_t len, uint32_t elem_size, uint32_t align) {
  abi_list copy = give_list(ptr, len, elem_size, align);
  guest_free(ptr);
  return copy;
}

opt_string take_opt_string(uint32_t is_some, char* ptr, uint32_t len) {
  opt_string out = {0};
  if (is_some) {
    out.is_some = 1;
    out.val = take_string(ptr, len);
  }
  return out;
}

item take_item(const item* param) {
  item out;
  out.a = take_opt_string(param->a.is_some, param->a.val.ptr, param->a.val.len);
  out.b = take_list(param->b.ptr, param->b.len, 1, 1);
  return out;
}

shape take_shape(uint32_t tag, uint64_t slot1, uint32_t slot2) {
  shape out;
  memset(&out, 0, sizeof out);
  out.tag = (uint8_t)tag;
  switch (tag) {
    case SHAPE_SMALL:
      out.val.small = (uint8_t)slot1;
      break;
    case SHAPE_NUM:
      memcpy(&out.val.num, &slot1, sizeof out.val.num);
      break;
    case SHAPE_TEXT:
      out.val.text = take_string((char*)(uintptr_t)(uint32_t)slot1, slot2);
      break;
    case SHAPE_RATIO: {
      // The f32 travels in the low bits of the joined i64 slot.
      uint32_t bits = (uint32_t)slot1;
      memcpy(&out.val.ratio, &bits, sizeof bits);
      break;
    }
  }
  return out;
}

void give_owned_item(const item* value) {
  if (value->a.is_some) give_owned(value->a.val.ptr);
  give_owned(value->b.ptr);
}

void give_owned_shape(const shape* value) {
  if (value->tag == SHAPE_TEXT) give_owned(value->val.text.ptr);
}
