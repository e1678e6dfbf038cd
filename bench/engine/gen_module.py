#!/usr/bin/env python3
"""Writes a C file with N exported functions of varied arithmetic, so the
compile benchmark has modules of realistic shape at a chosen size."""
import sys

n = int(sys.argv[1])
out = ["#include <stdint.h>"]
for i in range(n):
    out.append(f"""
__attribute__((export_name("f{i}"))) uint32_t f{i}(uint32_t x, uint32_t y) {{
  uint32_t acc = x ^ {i * 2654435761 % 2**32}u;
  for (uint32_t k = 0; k < (y & 15u); k++) {{
    acc = (acc << 5) + (acc >> 2) + k * {i % 97 + 3}u;
    if (acc & {1 << (i % 31)}u) acc ^= y * {i % 13 + 7}u; else acc += x / ((k | 1u));
  }}
  switch (acc % 4u) {{
    case 0: return acc * 3u;
    case 1: return acc ^ (y << 3);
    case 2: return acc + (x >> 1);
    default: return acc - y;
  }}
}}""")
print("\n".join(out))
