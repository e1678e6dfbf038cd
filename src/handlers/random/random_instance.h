// RandomInstance: one actor's share of the random handler: its source (seeded
// or the OS's) and its limit. Every value a WIT call returns is recorded in
// the actor's chain before the guest sees it. The same source answers WASI
// random_get (as the actor's WasiContribution), so a seeded actor's sequence
// is one stream whichever way it draws; those draws are recorded by the
// actor as wasi/random, once.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "handler_api/handler.h"
#include "handlers/random/random_config.h"
#include "handlers/random/random_source.h"

namespace theater::handlers {

class RandomInstance final : public handler::HandlerInstance, public handler::WasiContribution {
 public:
  RandomInstance(RandomPermissions permissions, RandomSettings settings);

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  void stop(std::chrono::milliseconds grace) override;
  handler::WasiContribution* wasi_contribution() override { return this; }

  // WasiContribution
  bool fill_random(std::span<std::uint8_t> out) override;

  Result<std::vector<std::uint8_t>> random_bytes(std::uint32_t length);
  Result<std::uint64_t> random_range(std::uint64_t min, std::uint64_t max);
  Result<double> random_float();
  Result<std::string> generate_uuid();

 private:
  Result<handler::ActorHandle> actor(const char* function) const;
  // Records `data` (CBOR) as theater:simple/random/<function>; the value may
  // reach the guest only when this succeeded.
  Status record(const handler::ActorHandle& actor, const char* function,
                std::vector<std::uint8_t> data) const;
  // Records a refusal and returns it.
  Error refuse(const handler::ActorHandle& actor, const char* function, Error error) const;

  const RandomPermissions permissions_;
  const RandomSettings settings_;

  mutable std::mutex mutex_;  // guards everything below
  std::unique_ptr<RandomSource> source_;
  std::optional<handler::ActorHandle> actor_;
  bool stopped_ = false;
};

}  // namespace theater::handlers
