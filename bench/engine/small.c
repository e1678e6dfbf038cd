// The smallest useful instance: one 64 KiB page (declared maximum 1), a
// counter and a no-op, for the density benchmark.
#include <stdint.h>
static int32_t counter;
__attribute__((export_name("bump"))) int32_t bump(void) {
  return ++counter;
}
__attribute__((export_name("noop"))) void noop(void) {}
