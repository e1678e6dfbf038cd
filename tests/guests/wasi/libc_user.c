// A wasi-libc reactor that uses printf, malloc, clocks, the environment,
// random bytes and exit, to check the WASI subset end to end.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#define EXPORT(name) __attribute__((export_name(#name)))

EXPORT(say) int say(int n) {
  for (int i = 0; i < n; i++) printf("line %d of %d\n", i + 1, n);
  fprintf(stderr, "a warning\n");
  printf("\n");  // an empty line is a line
  printf("unterminated");
  fflush(stdout);
  return n;
}

EXPORT(clock_ms) long long clock_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// Allocates and frees; returns a checksum of what it wrote.
EXPORT(heap) int heap(int blocks) {
  long sum = 0;
  for (int i = 0; i < blocks; i++) {
    int* p = malloc(1000 * sizeof(int));
    if (!p) return -1;
    for (int k = 0; k < 1000; k++) p[k] = i + k;
    sum += p[999];
    free(p);
  }
  return (int)sum;
}

EXPORT(greeting_length) int greeting_length(void) {
  const char* value = getenv("GREETING");
  return value ? (int)strlen(value) : -1;
}

EXPORT(random_u32) unsigned random_u32(void) {
  unsigned value = 0;
  if (getentropy(&value, sizeof value) != 0) return 0;
  return value;
}

// Functions the subset does not offer answer with an errno, never a trap.
EXPORT(unsupported_errnos) int unsupported_errnos(void) {
  __wasi_size_t n = 0;
  int badf = __wasi_fd_read(9, NULL, 0, &n);          // no such descriptor
  int nosys = __wasi_poll_oneoff(NULL, NULL, 0, &n);  // not offered
  return badf * 1000 + nosys;
}

EXPORT(quit) void quit(int code) {
  exit(code);
}
