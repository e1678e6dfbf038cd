// The engine demo's guest: recursive Fibonacci (compute-bound, no imports)
// and a loop that never ends (to show the watchdog stopping it).
#include <stdint.h>

__attribute__((export_name("fib"))) int64_t fib(int32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((export_name("forever"))) int32_t forever(void) {
  volatile int32_t x = 0;
  for (;;) x++;
  return x;
}
