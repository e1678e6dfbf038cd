// Backpressure for one output stream: how many bytes are read but not yet
// acknowledged by the consumer, and the receipt that acknowledges them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

namespace theater::process {

// Shared between the event loop (which consumes) and whoever holds receipts
// (which release, from any thread).
class OutputBudget {
 public:
  explicit OutputBudget(std::size_t limit) : limit_(limit) {}

  [[nodiscard]] std::size_t limit() const { return limit_; }
  // Bytes still free: limit minus held-back and unacknowledged bytes.
  [[nodiscard]] std::size_t available() const;
  [[nodiscard]] std::size_t pending() const;

  // Loop thread: the framer now holds `bytes` of an unfinished piece.
  void set_held(std::size_t bytes);
  // Loop thread: a piece of `bytes` went to the consumer.
  void consume(std::size_t bytes);
  // Any thread: the consumer is done with `bytes`.
  void release(std::size_t bytes);

  // Loop thread: calls `on_room` once (from whichever thread releases) when
  // at least `wanted` bytes are free; at once if they already are.
  void notify_when_available(std::size_t wanted, std::function<void()> on_room);
  // Loop thread: no more notifications; after this returns none is running.
  void detach();

 private:
  void notify_if_room_locked();

  mutable std::mutex mutex_;
  const std::size_t limit_;
  std::size_t held_ = 0;
  std::size_t unacknowledged_ = 0;
  std::size_t wanted_ = 0;
  std::function<void()> on_room_;
};

// Proof that a piece was handed over; destroying it (or acknowledge())
// returns the piece's bytes to its stream's budget. Keep it with the piece
// until the consumer is done with it (for an actor: its callback returned).
// Safe to outlive the process and the whole process layer.
class DeliveryReceipt {
 public:
  DeliveryReceipt() = default;
  DeliveryReceipt(std::shared_ptr<OutputBudget> budget, std::size_t bytes)
      : budget_(std::move(budget)), bytes_(bytes) {}
  DeliveryReceipt(DeliveryReceipt&& other) noexcept
      : budget_(std::move(other.budget_)), bytes_(other.bytes_) {}
  DeliveryReceipt& operator=(DeliveryReceipt&& other) noexcept {
    if (this != &other) {
      acknowledge();
      budget_ = std::move(other.budget_);
      bytes_ = other.bytes_;
    }
    return *this;
  }
  DeliveryReceipt(const DeliveryReceipt&) = delete;
  DeliveryReceipt& operator=(const DeliveryReceipt&) = delete;
  ~DeliveryReceipt() { acknowledge(); }

  // Idempotent.
  void acknowledge() {
    if (budget_) std::exchange(budget_, nullptr)->release(bytes_);
  }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

 private:
  std::shared_ptr<OutputBudget> budget_;
  std::size_t bytes_ = 0;
};

}  // namespace theater::process
