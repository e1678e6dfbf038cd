// Shared setup of the canonical ABI integration tests: one real V8 engine per
// test binary (memory mode from THEATER_MEMORY_MODE, as CTest sets it), guests
// instantiated with the test host functions, and typed export calls, each run
// as one task on the instance.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "abi/engine_binding.h"
#include "test_host.h"
#include "wasm/engine.h"

namespace theater::abi::testing {

inline constexpr std::chrono::seconds kCallTimeout{30};

// The process's engine, created on first use; main() releases it at exit.
wasm::Engine& engine();
void release_engine();

// Calls export `name` typed as `Sig` (abi::call_export) in one task.
template <class Sig, class... A>
auto call(wasm::Instance& instance, std::string_view name, const A&... args) {
  using R = decltype(call_export<Sig>(std::declval<wasm::InstanceContext&>(), name, args...));
  std::optional<R> out;
  Status ran = instance.run(
      [&](wasm::InstanceContext& context) {
        out.emplace(call_export<Sig>(context, name, args...));
      },
      kCallTimeout);
  if (!ran.ok()) return R(ran.error());
  return std::move(*out);
}

// An echo: calls export `name` of type T(T) with `value`.
template <class T>
Result<T> echo(wasm::Instance& instance, std::string_view name, const T& value) {
  return call<T(T)>(instance, name, value);
}

// The error has `code` and its message contains every piece.
void expect_error(const Error& error, ErrorCode code, std::initializer_list<std::string> pieces);

template <class T>
void expect_error(const Result<T>& result, ErrorCode code,
                  std::initializer_list<std::string> pieces) {
  ASSERT_FALSE(result.ok()) << "expected an error containing '" << *pieces.begin() << "'";
  expect_error(result.error(), code, pieces);
}

// A test with one instance of `guest`, whose host functions record into host_.
class GuestTest : public ::testing::Test {
 protected:
  explicit GuestTest(std::string guest) : guest_(std::move(guest)) {}
  void SetUp() override {
    instance_ = start(guest_, host_);
    ASSERT_NE(instance_, nullptr);
  }

  // A fresh instance of `guest` whose host functions use `host`.
  static std::shared_ptr<wasm::Instance> start(
      const std::string& guest, TestHost& host,
      std::shared_ptr<const wasm::HostImports> imports = TestHost::imports());

  wasm::Instance& instance() { return *instance_; }

  std::string guest_;
  TestHost host_;  // outlives the instance, which calls into it
  std::shared_ptr<wasm::Instance> instance_;
};

}  // namespace theater::abi::testing
