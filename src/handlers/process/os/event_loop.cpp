#include "handlers/process/os/event_loop.h"

#include <signal.h>

namespace theater::process {

EventLoop::EventLoop() : thread_([this] { run(); }) {}

EventLoop::~EventLoop() {
  std::future<void> drained = drained_.get_future();
  asio::post(context_, [this] { work_.reset(); });
  if (drained.wait_for(kDrainTimeout) != std::future_status::ready) context_.stop();
  thread_.join();
}

void EventLoop::run() {
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  // A handler that throws is a bug of ours (listeners are noexcept): it
  // escapes here and terminates loudly.
  context_.run();
  drained_.set_value();
}

}  // namespace theater::process
