// The host side of import module "test:abi/host" (tests/guests/abi/README.md):
// host functions written with abi::host_function, plus WASI for the guests'
// libc. Each instance gets its own TestHost (as InstanceOptions::user_data),
// which records what the host functions saw.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "guest_types.h"
#include "wasi/wasi.h"
#include "wasm/host_imports.h"

namespace theater::abi::testing {

class TestHost {
 public:
  // The one import set every guest of these tests is instantiated with.
  static std::shared_ptr<const wasm::HostImports> imports();

  // What transform-spilled answers: every number one up, "!" appended to the
  // string, 0xFF appended to the bytes, the option one up (none becomes 0).
  static Spilled transform(Spilled values);
  // What check-shape answers: ok(num x) -> ok(num 2x), ok(text s) -> err(s),
  // err(s) -> ok(text s), anything else unchanged.
  static sig::ResultShape check(sig::ResultShape value);

  std::vector<std::string> logs;  // log
  std::vector<Item> items_seen;   // reverse-items
  std::atomic<int> calls{0};      // every host function but WASI's

  wasi::WasiHost wasi_host;
  wasi::WasiContext wasi{wasi_host};
};

}  // namespace theater::abi::testing
