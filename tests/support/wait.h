// Bounded polling, for waiting on the OS or an actor (a process to die, a
// call to be held), never for asserting how long something took.
#pragma once

#include <chrono>
#include <thread>

namespace theater::testing {

// Polls `predicate` until it holds (true) or `timeout` passes (false).
template <class Predicate>
bool wait_until(Predicate predicate, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace theater::testing
