// Describing user types once, so their ABI follows:
//
//   struct ProcessStatus { uint64_t pid; bool running; std::optional<int32_t> exit_code; uint64_t
//   start_time; }; THEATER_ABI_RECORD(ProcessStatus, pid, running, exit_code, start_time)
//
//   enum class ActorErrorKind { operation_timeout, channel_closed, ... };
//   THEATER_ABI_ENUM(ActorErrorKind, operation_timeout, channel_closed, ...)
//
// Fields and enumerators are listed in WIT order. Use the macros at namespace
// scope, in the namespace of the type, right after it (they define functions
// found by argument-dependent lookup) and before the type is used with the ABI.
#pragma once

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

namespace theater::abi {

namespace detail {
template <class P>
struct MemberPointer;
template <class O, class M>
struct MemberPointer<M O::*> {
  using Owner = O;
  using Member = M;
};
}  // namespace detail

// One field of a described record: which member, and its name for messages.
template <auto kMember>
struct Field {
  using Owner = typename detail::MemberPointer<decltype(kMember)>::Owner;
  using Member = typename detail::MemberPointer<decltype(kMember)>::Member;
  static Member& get(Owner& owner) { return owner.*kMember; }
  static const Member& get(const Owner& owner) { return owner.*kMember; }
  const char* name;
};

template <class... Fields>
struct RecordDescription {
  const char* name;
  std::tuple<Fields...> fields;
};

template <class... Fields>
constexpr RecordDescription<Fields...> describe_record(const char* name, Fields... fields) {
  return {name, {fields...}};
}

template <class E, size_t N>
struct EnumDescription {
  const char* name;
  std::array<E, N> values;
  std::array<const char*, N> labels;
};

// Found by ADL; defined by the macros below.
template <class T>
concept DescribedRecord = requires(const T* t) {
  theater_abi_record(t);
};
template <class T>
concept DescribedEnum = std::is_enum_v<T> && requires(const T* t) {
  theater_abi_enum(t);
};

}  // namespace theater::abi

// clang-format off
// THEATER_ABI_FOR_EACH(M, X, a, b, c) -> M(X, a), M(X, b), M(X, c)   (up to 256 items)
#define THEATER_ABI_PARENS ()
#define THEATER_ABI_EXPAND(...) THEATER_ABI_EXPAND4(THEATER_ABI_EXPAND4(THEATER_ABI_EXPAND4(THEATER_ABI_EXPAND4(__VA_ARGS__))))
#define THEATER_ABI_EXPAND4(...) THEATER_ABI_EXPAND3(THEATER_ABI_EXPAND3(THEATER_ABI_EXPAND3(THEATER_ABI_EXPAND3(__VA_ARGS__))))
#define THEATER_ABI_EXPAND3(...) THEATER_ABI_EXPAND2(THEATER_ABI_EXPAND2(THEATER_ABI_EXPAND2(THEATER_ABI_EXPAND2(__VA_ARGS__))))
#define THEATER_ABI_EXPAND2(...) THEATER_ABI_EXPAND1(THEATER_ABI_EXPAND1(THEATER_ABI_EXPAND1(THEATER_ABI_EXPAND1(__VA_ARGS__))))
#define THEATER_ABI_EXPAND1(...) __VA_ARGS__
#define THEATER_ABI_FOR_EACH(M, X, ...) \
  __VA_OPT__(THEATER_ABI_EXPAND(THEATER_ABI_FOR_EACH_HELPER(M, X, __VA_ARGS__)))
#define THEATER_ABI_FOR_EACH_HELPER(M, X, a1, ...) \
  M(X, a1) __VA_OPT__(, THEATER_ABI_FOR_EACH_AGAIN THEATER_ABI_PARENS(M, X, __VA_ARGS__))
#define THEATER_ABI_FOR_EACH_AGAIN() THEATER_ABI_FOR_EACH_HELPER

#define THEATER_ABI_FIELD(Record, field) ::theater::abi::Field<&Record::field>{#field}
#define THEATER_ABI_ENUM_VALUE(Enum, value) Enum::value
#define THEATER_ABI_ENUM_LABEL(Enum, value) #value
// clang-format on

#define THEATER_ABI_RECORD(Record, ...)                                         \
  [[maybe_unused]] constexpr auto theater_abi_record(const Record*) {           \
    return ::theater::abi::describe_record(                                     \
        #Record, THEATER_ABI_FOR_EACH(THEATER_ABI_FIELD, Record, __VA_ARGS__)); \
  }

#define THEATER_ABI_ENUM(Enum, ...)                                                                \
  [[maybe_unused]] constexpr auto theater_abi_enum(const Enum*) {                                  \
    constexpr std::array kValues{THEATER_ABI_FOR_EACH(THEATER_ABI_ENUM_VALUE, Enum, __VA_ARGS__)}; \
    return ::theater::abi::EnumDescription<Enum, kValues.size()>{                                  \
        #Enum, kValues, {THEATER_ABI_FOR_EACH(THEATER_ABI_ENUM_LABEL, Enum, __VA_ARGS__)}};        \
  }
