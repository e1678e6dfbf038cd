// Result<T>: a value or an Error, in the style of std::expected (C++23), which
// GCC 12 in C++20 mode does not have. Expected failures (bad guest input, bad
// manifests, refused requests) travel as Results; broken invariants of our own
// are bugs and fail loudly instead.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace theater {

// What kind of failure, so callers can react without parsing messages.
enum class ErrorCode {
  kInvalidArgument,     // the caller (or a guest) passed something malformed
  kNotFound,            // a named thing does not exist
  kPermissionDenied,    // refused by policy (manifest, permissions)
  kResourceExhausted,   // a bound was hit (queue, parked calls, memory)
  kDeadlineExceeded,    // a call ran past its deadline and was stopped
  kCancelled,           // stopped on request (kill, shutdown)
  kTrap,                // the guest trapped
  kFailedPrecondition,  // the object is not in a state that allows this
  kUnavailable,         // shut down or not started
  kInternal,            // an error reported by a dependency (OS, SQLite, V8)
  kExited,              // the guest ended itself (WASI proc_exit)
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // "<message>" prefixed with context, e.g. Error{...}.context("calling init").
  [[nodiscard]] Error context(const std::string& what) const {
    return Error{code, what + ": " + message};
  }
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return checked_value(); }
  const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& value() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked_value(); }
  T& operator*() & { return checked_value(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& operator*() && { return std::move(checked_value()); }

  const Error& error() const {
    if (ok()) fail("Result::error() called on a value");
    return std::get<1>(data_);
  }

 private:
  T& checked_value() {
    if (!ok()) fail(("Result::value() called on an error: " + std::get<1>(data_).message).c_str());
    return std::get<0>(data_);
  }
  [[noreturn]] static void fail(const char* what) {
    std::fprintf(stderr, "theater: broken invariant: %s\n", what);
    std::abort();
  }
  std::variant<T, Error> data_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() {
  return {};
}

inline const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kPermissionDenied:
      return "permission denied";
    case ErrorCode::kResourceExhausted:
      return "resource exhausted";
    case ErrorCode::kDeadlineExceeded:
      return "deadline exceeded";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kTrap:
      return "trap";
    case ErrorCode::kFailedPrecondition:
      return "failed precondition";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kExited:
      return "exited";
  }
  return "unknown";
}

}  // namespace theater

// Propagates the error of a Result-returning expression; binds nothing.
#define THEATER_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    auto&& theater_status_ = (expr);                           \
    if (!theater_status_.ok()) return theater_status_.error(); \
  } while (0)

// Evaluates a Result<T> expression; on success moves its value into `lhs`.
#define THEATER_CONCAT_INNER(a, b) a##b
#define THEATER_CONCAT(a, b) THEATER_CONCAT_INNER(a, b)
#define THEATER_ASSIGN_OR_RETURN(lhs, expr)                   \
  auto THEATER_CONCAT(theater_result_, __LINE__) = (expr);    \
  if (!THEATER_CONCAT(theater_result_, __LINE__).ok())        \
    return THEATER_CONCAT(theater_result_, __LINE__).error(); \
  lhs = std::move(THEATER_CONCAT(theater_result_, __LINE__)).value()
