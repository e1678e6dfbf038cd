#include "chain/event.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/little_endian.h"

namespace theater::chain {
namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "theater: broken invariant: %s\n", what);
  std::abort();
}

// A reusable SHA-256 context: one per thread, so hashing an event costs no
// allocation and no algorithm lookup (EVP_Digest does both on every call).
class Sha256Stream {
 public:
  Sha256Stream()
      : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free),
        ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!md_ || !ctx_) die("libcrypto cannot provide SHA-256");
  }

  void begin() {
    if (EVP_DigestInit_ex(ctx_.get(), md_.get(), nullptr) != 1) die("EVP_DigestInit_ex failed");
  }
  void add(const void* bytes, size_t size) {
    if (size > 0 && EVP_DigestUpdate(ctx_.get(), bytes, size) != 1) {
      die("EVP_DigestUpdate failed");
    }
  }
  void add_u32le(uint64_t value) {
    if (value > std::numeric_limits<uint32_t>::max()) die("event field longer than 4 GiB");
    uint8_t le[4];
    put_le(le, static_cast<uint32_t>(value));
    add(le, sizeof le);
  }
  void add_u64le(uint64_t value) {
    uint8_t le[8];
    put_le(le, value);
    add(le, sizeof le);
  }
  void add_sized(const void* bytes, size_t size) {
    add_u32le(size);
    add(bytes, size);
  }
  EventHash finish() {
    EventHash digest{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &len) != 1 || len != digest.size()) {
      die("EVP_DigestFinal_ex failed");
    }
    return digest;
  }

 private:
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md_;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

EventHash compute_event_hash(const std::optional<EventHash>& parent_hash, uint64_t timestamp_ms,
                             std::string_view event_type,
                             std::optional<std::string_view> description,
                             std::span<const uint8_t> data) {
  static const EventHash kNoParent{};
  thread_local Sha256Stream sha;
  sha.begin();
  const EventHash& parent = parent_hash ? *parent_hash : kNoParent;
  sha.add(parent.data(), parent.size());
  sha.add_u64le(timestamp_ms);
  sha.add_sized(event_type.data(), event_type.size());
  const std::string_view desc = description.value_or(std::string_view());
  sha.add_sized(desc.data(), desc.size());
  sha.add_sized(data.data(), data.size());
  return sha.finish();
}

EventHash compute_event_hash(const Event& event) {
  return compute_event_hash(view_of(event));
}

EventHash compute_event_hash(const EventView& event) {
  return compute_event_hash(event.parent_hash, event.timestamp_ms, event.event_type,
                            event.description, event.data);
}

EventView view_of(const Event& event) {
  return EventView{
      event.parent_hash,
      event.timestamp_ms,
      event.event_type,
      event.description ? std::optional<std::string_view>(*event.description) : std::nullopt,
      event.data,
      event.hash};
}

void assign(Event& event, const EventView& view) {
  event.parent_hash = view.parent_hash;
  event.timestamp_ms = view.timestamp_ms;
  event.event_type.assign(view.event_type);
  if (view.description) {
    if (!event.description) event.description.emplace();
    event.description->assign(*view.description);
  } else {
    event.description.reset();
  }
  event.data.assign(view.data.begin(), view.data.end());
  event.hash = view.hash;
}

Event make_event(const std::optional<EventHash>& parent_hash, uint64_t timestamp_ms,
                 std::string event_type, std::optional<std::string> description,
                 std::vector<uint8_t> data) {
  Event event{parent_hash,     timestamp_ms, std::move(event_type), std::move(description),
              std::move(data), EventHash{}};
  event.hash = compute_event_hash(event);
  return event;
}

EventVisitor append_to(std::vector<Event>& events) {
  return [&events](Event& event) {
    events.push_back(std::move(event));
    return ok_status();
  };
}

std::vector<uint8_t> to_cbor_data(const nlohmann::json& value) {
  return nlohmann::json::to_cbor(value);
}

Result<nlohmann::json> cbor_data_to_json(std::span<const uint8_t> data) {
  // allow_exceptions=false: malformed CBOR yields a "discarded" value.
  nlohmann::json value = nlohmann::json::from_cbor(data.begin(), data.end(), /*strict=*/true,
                                                   /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "event data (" + std::to_string(data.size()) + " bytes) is not valid CBOR");
  }
  return value;
}

std::string hash_to_hex(const EventHash& hash) {
  return to_hex(hash);
}

Result<EventHash> hash_from_hex(std::string_view hex) {
  EventHash hash{};
  if (hex.size() != 2 * hash.size()) {
    return make_error(ErrorCode::kInvalidArgument, "hash \"" + std::string(hex.substr(0, 80)) +
                                                       "\" has " + std::to_string(hex.size()) +
                                                       " hex digits, expected 64");
  }
  for (size_t i = 0; i < hash.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        "hash \"" + std::string(hex) + "\" has a non-hex character at offset " +
                            std::to_string(high < 0 ? 2 * i : 2 * i + 1));
    }
    hash[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return hash;
}

}  // namespace theater::chain
