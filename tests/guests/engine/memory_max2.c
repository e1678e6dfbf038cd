// A module whose memory declares a maximum of 2 pages (linker flags set it).
#include <stdint.h>
__attribute__((export_name("grow"))) int32_t grow(int32_t pages) {
  return __builtin_wasm_memory_grow(0, pages);
}
__attribute__((export_name("pages"))) int32_t pages(void) {
  return __builtin_wasm_memory_size(0);
}
