// The V8 Engine: executors (isolates), their thread pool and watchdog, and
// instance placement. Teardown follows reference/v8-study/README.md step 8.
#include "wasm/v8/v8_engine.h"

#include <v8.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "wasm/linker.h"
#include "wasm/v8/isolate_executor.h"
#include "wasm/v8/thread_pool.h"
#include "wasm/v8/v8_instance.h"
#include "wasm/v8/v8_platform.h"
#include "wasm/v8/watchdog.h"

namespace theater::wasm {
namespace v8backend {
namespace {

class V8Engine final : public Engine {
 public:
  V8Engine(V8Platform& platform, const EngineConfig& config)
      : platform_(platform), config_(config) {
    const unsigned isolates = config_.isolates;
    ThreadPool::Options pool;
    pool.core_threads = isolates;
    // Every parked call pins a thread, plus one draining thread per isolate.
    pool.max_threads = isolates * (config_.max_parked_calls_per_isolate + 2);
    pool.linger = config_.idle_thread_linger;
    pool_ = std::make_unique<ThreadPool>(pool);
    watchdog_ = std::make_unique<Watchdog>([this](Deadline now) {
      Deadline earliest = Deadline::max();
      for (auto& p : executors_) earliest = std::min(earliest, p->stop_expired(now));
      return earliest;
    });
    for (unsigned i = 0; i < isolates; ++i) {
      executors_.push_back(
          std::make_unique<IsolateExecutor>(i, platform_, *pool_, *watchdog_, config_));
    }
    platform_.engine_created();
  }

  ~V8Engine() override {
    const Error why = make_error(ErrorCode::kUnavailable, "the engine is shutting down");
    for (auto& p : executors_) p->stop_everything(why);
    for (auto& p : executors_) {
      if (!p->wait_idle(std::chrono::seconds(30))) {
        // A host function ignoring its stop token for 30 s is a bug of ours;
        // disposing an isolate a thread is inside would crash later anyway.
        std::fprintf(stderr,
                     "theater: broken invariant: isolate %u still busy at engine teardown\n",
                     p->index());
        std::abort();
      }
    }
    watchdog_.reset();
    pool_->shutdown();
    for (auto& p : executors_) p->dispose();
    executors_.clear();
    platform_.engine_destroyed();
  }

  Result<std::shared_ptr<Module>> compile(std::span<const uint8_t> bytes) override {
    THEATER_ASSIGN_OR_RETURN(std::shared_ptr<V8Module> module, platform_.compile(bytes));
    return std::shared_ptr<Module>(std::move(module));
  }

  Result<std::shared_ptr<Instance>> instantiate(const std::shared_ptr<Module>& module,
                                                std::shared_ptr<const HostImports> imports,
                                                const InstanceOptions& options) override {
    if (current_thread_runs_wasm()) {
      return make_error(
          ErrorCode::kFailedPrecondition,
          "instantiate() called while holding an isolate; call it from a blocking section");
    }
    auto v8module = std::dynamic_pointer_cast<V8Module>(module);
    if (!v8module)
      return make_error(ErrorCode::kInvalidArgument,
                        "the module was not compiled by the V8 engine");
    if (!imports) imports = std::make_shared<HostImports>();
    THEATER_RETURN_IF_ERROR(check_imports(v8module->info(), *imports));

    IsolateExecutor& executor = least_loaded();
    auto state = std::make_shared<InstanceState>(config_.max_pending_tasks_per_instance);
    state->executor = &executor;
    state->isolate_index = executor.index();
    state->module = std::move(v8module);
    state->imports = std::move(imports);
    state->options = options;
    executor.add_instance(state);
    auto instance = std::make_shared<V8Instance>(state);

    auto outcome = std::make_shared<Status>();
    Status ran = instance->run(
        [state, outcome, &executor](InstanceContext& context) {
          *outcome = executor.instantiate_locked(*state, executor.isolate()->GetCurrentContext());
          if (outcome->ok() && state->options.call_initialize &&
              context.has_export("_initialize")) {
            auto initialized = context.call("_initialize", {});
            if (!initialized.ok()) *outcome = initialized.error().context("_initialize failed");
          }
        },
        options.timeout);
    if (!ran.ok()) return ran.error().context("instantiation");
    if (!outcome->ok()) return outcome->error();
    return std::shared_ptr<Instance>(std::move(instance));
  }

  const EngineConfig& config() const override { return config_; }

  EngineStats stats() const override {
    EngineStats stats;
    stats.isolates = static_cast<unsigned>(executors_.size());
    stats.pool_threads = pool_->threads();
    for (auto& p : executors_) {
      stats.parked_calls += p->parked_calls();
      stats.live_instances += p->instance_count();
    }
    stats.module_cache_hits = platform_.cache_hits();
    stats.module_cache_misses = platform_.cache_misses();
    return stats;
  }

 private:
  IsolateExecutor& least_loaded() {
    IsolateExecutor* best = executors_.front().get();
    size_t best_count = best->instance_count();
    for (auto& p : executors_) {
      size_t count = p->instance_count();
      if (count < best_count) best = p.get(), best_count = count;
    }
    return *best;
  }

  V8Platform& platform_;
  EngineConfig config_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<Watchdog> watchdog_;
  std::vector<std::unique_ptr<IsolateExecutor>> executors_;
};

}  // namespace
}  // namespace v8backend

Result<std::unique_ptr<Engine>> create_v8_engine(const EngineConfig& requested) {
  EngineConfig config = requested;
  if (config.isolates == 0) config.isolates = std::max(1u, std::thread::hardware_concurrency());
  if (config.batch_size == 0) config.batch_size = 1;
  if (config.max_parked_calls_per_isolate == 0 || config.max_pending_tasks_per_instance == 0) {
    return make_error(ErrorCode::kInvalidArgument, "engine caps must be at least 1");
  }
  THEATER_ASSIGN_OR_RETURN(v8backend::V8Platform * platform,
                           v8backend::V8Platform::acquire(config.memory_mode));
  return std::unique_ptr<Engine>(std::make_unique<v8backend::V8Engine>(*platform, config));
}

std::string v8_engine_version() {
  return std::string("V8 ") + v8::V8::GetVersion();
}

void shutdown_engines() {
  v8backend::V8Platform::shutdown();
}

}  // namespace theater::wasm
