// ManualExecutor: a deterministic stand-in for an engine's executor, in the
// style of CAF's deterministic test coordinator. It owns nothing but a run
// queue of mailboxes; a test decides when each step runs, on its own thread,
// so every interleaving it builds is reproducible and needs no sleeps.
#pragma once

#include <deque>
#include <memory>

#include "wasm/engine.h"
#include "wasm/mailbox.h"

namespace theater::testing {

// Tasks in these tests never touch an instance.
class NoInstanceContext final : public wasm::InstanceContext {
 public:
  Result<std::vector<wasm::Value>> call(std::string_view, std::span<const wasm::Value>) override {
    return make_error(ErrorCode::kUnavailable, "no instance in this test");
  }
  Result<wasm::MemoryView> memory() override {
    return make_error(ErrorCode::kUnavailable, "no instance in this test");
  }
  bool has_export(std::string_view) const override { return false; }
  wasm::Deadline deadline() const override { return wasm::Deadline::max(); }
};

class ManualExecutor {
 public:
  // What post()/resume() told the caller to do.
  void schedule(wasm::Mailbox& mailbox) { ready_.push_back(&mailbox); }

  // Posts as a backend does: queue, and schedule when the mailbox asks.
  Status post(wasm::Mailbox& mailbox, wasm::Task&& task) {
    Result<bool> posted = mailbox.post(std::move(task));
    if (!posted.ok()) return posted.error();
    if (*posted) schedule(mailbox);
    return {};
  }
  void resume(wasm::Mailbox& mailbox) {
    if (mailbox.resume()) schedule(mailbox);
  }

  // Runs one task of the first ready mailbox, as a drain does; false when
  // nothing was ready or the mailbox had nothing it may run.
  bool step() {
    if (ready_.empty()) return false;
    wasm::Mailbox* mailbox = ready_.front();
    ready_.pop_front();
    std::optional<wasm::Task> task = mailbox->take();
    if (!task) return false;
    task->run(context_);
    if (mailbox->finish_turn()) ready_.push_back(mailbox);
    return true;
  }
  // Steps until nothing is ready; the number of tasks run.
  int run_all() {
    int ran = 0;
    while (!ready_.empty()) ran += step() ? 1 : 0;
    return ran;
  }
  [[nodiscard]] std::size_t ready() const { return ready_.size(); }

 private:
  std::deque<wasm::Mailbox*> ready_;
  NoInstanceContext context_;
};

inline wasm::Task task_that(std::function<void()> body) {
  wasm::Task task;
  task.run = [body = std::move(body)](wasm::InstanceContext&) { body(); };
  task.deadline = wasm::Deadline::max();
  return task;
}

}  // namespace theater::testing
