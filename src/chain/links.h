// Cross-chain links. When an actor's event causes a delivery into another
// actor (a message, a request, a channel's message or close), the receiver's
// wasm/call event names the sender and the hash of the sender's event:
// {"cause": <hash>, "export", "from": <actor id>, "params"}. The sender's
// event (theater:simple/message-server-host/...) names the receiver in "to".
// LinkChecker, given two or more chains, checks every such link whose sender
// chain it was given: the cause exists in the sender's chain, was addressed
// to this receiver, and the deliveries from one sender arrive in the order
// the sender made them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "chain/event.h"

namespace theater::chain {

inline constexpr std::string_view kMessageCauseTypePrefix = "theater:simple/message-server-host/";

struct LinkReport {
  std::uint64_t checked = 0;    // links whose sender chain was given
  std::uint64_t unchecked = 0;  // links to chains not given
  std::vector<std::string> problems;

  bool ok() const { return problems.empty(); }
  // "ok: 12 cross-chain links hold (3 to chains not given)" or the first problems.
  std::string summary() const;
};

class LinkChecker {
 public:
  // The events that follow belong to `actor_id`'s chain.
  void begin_chain(std::string actor_id);
  // The next event of the current chain, oldest first.
  void add(const Event& event);
  LinkReport finish() const;

 private:
  struct Cause {
    std::uint64_t index = 0;
    std::string to;
  };
  struct Delivery {
    std::string receiver;
    std::uint64_t index = 0;
    std::string from;
    EventHash cause{};
    std::string export_name;
  };
  struct ChainCauses {
    std::map<EventHash, Cause> by_hash;
  };

  std::string current_;
  std::uint64_t index_ = 0;
  std::map<std::string, ChainCauses> chains_;
  std::vector<Delivery> deliveries_;
};

}  // namespace theater::chain
