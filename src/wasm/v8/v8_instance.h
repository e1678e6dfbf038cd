// The public Instance of the V8 backend: a handle on an InstanceState.
#pragma once

#include <memory>

#include "wasm/engine.h"
#include "wasm/v8/instance_state.h"

namespace theater::wasm::v8backend {

class V8Instance final : public Instance {
 public:
  explicit V8Instance(std::shared_ptr<InstanceState> state) : state_(std::move(state)) {}
  ~V8Instance() override { close(); }
  V8Instance(const V8Instance&) = delete;
  V8Instance& operator=(const V8Instance&) = delete;

  Status post(Task&& task) override;
  void notify_when_space(std::function<void()> wake) override;
  void pause() override;
  void resume() override;
  void close() override;
  void interrupt(const Error& why) override;
  const ModuleInfo& module_info() const override { return state_->module->info(); }
  unsigned isolate_index() const override { return state_->isolate_index; }
  InstanceStats stats() const override;

 protected:
  bool try_run_here(Task& task) override;

 private:
  std::shared_ptr<InstanceState> state_;
};

}  // namespace theater::wasm::v8backend
