// WasiContribution: what a handler instance may add to its actor's WASI view
// (wasi_snapshot_preview1), so that a guest sees the same values through the
// WIT interface and through wasi-libc. The actor asks its instances for it
// when it builds its WASI context, after the instances exist and before the
// module is instantiated; the runtime and the actor never name a handler.
//
// Without a contribution WASI keeps its defaults: random_get reads the OS's
// random source, environ_get shows no variable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace theater::handler {

using EnvironmentList = std::vector<std::pair<std::string, std::string>>;

class WasiContribution {
 public:
  virtual ~WasiContribution() = default;
  // Fills `out` for WASI random_get from the actor's own source (a seeded
  // one follows the manifest's seed). False: this instance does not provide
  // random bytes. The actor records the bytes (wasi/random): the instance
  // must not record them again. Called on the actor's thread.
  virtual bool fill_random(std::span<std::uint8_t> out) { return false; }
  // The variables WASI environ_get shows, in order. nullopt: this instance
  // does not provide the environment. Asked once per actor.
  virtual std::optional<EnvironmentList> environment() const { return std::nullopt; }
};

}  // namespace theater::handler
