#include "chain/links.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace theater::chain {
namespace {

std::string hex(const EventHash& hash) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (std::uint8_t byte : hash) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

std::string short_hex(const EventHash& hash) {
  return hex(hash).substr(0, 16);
}

const std::string* text_at(const nlohmann::json& map, const char* key) {
  auto it = map.find(key);
  return it != map.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

}  // namespace

std::string LinkReport::summary() const {
  if (ok()) {
    return "ok: " + std::to_string(checked) + " cross-chain links hold (" +
           std::to_string(unchecked) + " to chains not given)";
  }
  std::string out = "broken: " + std::to_string(problems.size()) + " of " +
                    std::to_string(checked) + " cross-chain links do not hold";
  constexpr std::size_t kShown = 10;
  for (std::size_t i = 0; i < problems.size() && i < kShown; ++i) out += "\n  " + problems[i];
  if (problems.size() > kShown)
    out += "\n  ... and " + std::to_string(problems.size() - kShown) + " more";
  return out;
}

void LinkChecker::begin_chain(std::string actor_id) {
  current_ = std::move(actor_id);
  index_ = 0;
  chains_[current_];
}

void LinkChecker::add(const Event& event) {
  const std::uint64_t index = index_++;
  const bool cause_type = std::string_view(event.event_type).starts_with(kMessageCauseTypePrefix);
  if (!cause_type && event.event_type != "wasm/call") return;
  auto data = cbor_data_to_json(event.data);
  if (!data.ok() || !data->is_object()) return;
  if (cause_type) {
    if (const std::string* to = text_at(*data, "to"))
      chains_[current_].by_hash[event.hash] = Cause{index, *to};
    return;
  }
  const std::string* from = text_at(*data, "from");
  auto cause = data->find("cause");
  if (!from || cause == data->end() || !cause->is_binary()) return;
  Delivery delivery{current_, index, *from, {}, ""};
  const auto& bytes = cause->get_binary();
  if (bytes.size() != delivery.cause.size()) {
    delivery.cause.fill(0);  // cannot name any event: reported as missing
  } else {
    std::copy(bytes.begin(), bytes.end(), delivery.cause.begin());
  }
  if (const std::string* name = text_at(*data, "export")) delivery.export_name = *name;
  deliveries_.push_back(std::move(delivery));
}

LinkReport LinkChecker::finish() const {
  LinkReport report;
  // The sender's position of the last cause seen, per (sender, receiver).
  std::map<std::pair<std::string, std::string>, std::uint64_t> last_cause;
  for (const Delivery& delivery : deliveries_) {
    auto sender = chains_.find(delivery.from);
    if (sender == chains_.end()) {
      ++report.unchecked;
      continue;
    }
    ++report.checked;
    const std::string where = "event " + std::to_string(delivery.index) + " of " +
                              delivery.receiver + " (" + delivery.export_name + ")";
    auto cause = sender->second.by_hash.find(delivery.cause);
    if (cause == sender->second.by_hash.end()) {
      report.problems.push_back(where + " names cause " + short_hex(delivery.cause) +
                                "... in the chain of " + delivery.from +
                                ", which has no such event");
      continue;
    }
    if (cause->second.to != delivery.receiver) {
      report.problems.push_back(where + ": its cause, event " +
                                std::to_string(cause->second.index) + " of " + delivery.from +
                                ", was addressed to " + cause->second.to);
      continue;
    }
    auto [last, first] =
        last_cause.try_emplace({delivery.from, delivery.receiver}, cause->second.index);
    if (!first && cause->second.index <= last->second) {
      report.problems.push_back(where + " arrived out of order: its cause is event " +
                                std::to_string(cause->second.index) + " of " + delivery.from +
                                ", after one caused by event " + std::to_string(last->second));
    }
    last->second = std::max(last->second, cause->second.index);
  }
  return report;
}

}  // namespace theater::chain
