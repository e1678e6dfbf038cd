// Guest for the engine tests: arithmetic, traps, runaway loops, memory growth,
// and host imports (plain and blocking). Freestanding: no libc.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define IMPORT(name) __attribute__((import_module("test"), import_name(#name)))

IMPORT(add_one) int32_t host_add_one(int32_t x);
IMPORT(block_ms) int32_t host_block_ms(int32_t ms);
IMPORT(call_peer) int32_t host_call_peer(int32_t x);
IMPORT(fail) void host_fail(void);

static int32_t counter;

EXPORT(add) int32_t add(int32_t a, int32_t b) {
  return a + b;
}
EXPORT(add64) int64_t add64(int64_t a, int64_t b) {
  return a + b;
}
EXPORT(mulf) double mulf(double a, float b) {
  return a * (double)b;
}
EXPORT(noop) void noop(void) {}
EXPORT(bump) int32_t bump(void) {
  return ++counter;
}

EXPORT(trap_unreachable) void trap_unreachable(void) {
  __builtin_trap();
}

EXPORT(trap_oob) int32_t trap_oob(void) {
  volatile int32_t* p = (volatile int32_t*)0x7ffffff0;
  return *p;
}

EXPORT(divide) int32_t divide(int32_t a, int32_t b) {
  return a / b;
}

EXPORT(spin) int32_t spin(void) {
  volatile int32_t x = 0;
  for (;;) x++;
  return x;
}

// memory.grow: returns the old size in pages, or -1 when refused.
EXPORT(grow) int32_t grow(int32_t pages) {
  return __builtin_wasm_memory_grow(0, pages);
}
EXPORT(pages) int32_t pages(void) {
  return __builtin_wasm_memory_size(0);
}

EXPORT(call_add_one) int32_t call_add_one(int32_t x) {
  return host_add_one(x);
}

// Loops over the import so the host-call cost can be measured without the
// cost of entering wasm.
EXPORT(call_add_one_n) int32_t call_add_one_n(int32_t n) {
  int32_t x = 0;
  for (int32_t i = 0; i < n; i++) x = host_add_one(x);
  return x;
}

// Blocks in the host for `ms`, then mixes the result with the argument, so a
// wrong answer shows that calls were crossed.
EXPORT(block_then_mix) int32_t block_then_mix(int32_t ms, int32_t seed) {
  int32_t r = host_block_ms(ms);
  return r * 31 + seed + counter;
}

EXPORT(block_n) int32_t block_n(int32_t n) {
  int32_t x = 0;
  for (int32_t i = 0; i < n; i++) x += host_block_ms(0);
  return x;
}

EXPORT(set_counter) void set_counter(int32_t v) {
  counter = v;
}

EXPORT(ask_peer) int32_t ask_peer(int32_t x) {
  return host_call_peer(x) + 1;
}

EXPORT(call_fail) int32_t call_fail(void) {
  host_fail();
  return 7;
}

EXPORT(read_byte) int32_t read_byte(int32_t address) {
  return *(volatile uint8_t*)address;
}
EXPORT(write_byte) void write_byte(int32_t address, int32_t value) {
  *(volatile uint8_t*)address = (uint8_t)value;
}
