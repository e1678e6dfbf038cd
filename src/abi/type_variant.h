// Variants and their specializations (spec: despecialize): std::variant,
// std::optional (none | some), Outcome (ok | err), and payload-less cases
// (abi::Unit, std::monostate, any empty tag struct).
//
// In memory: a discriminant of 1, 2 or 4 bytes (by case count), then the
// payload at the cases' largest alignment. Flat: an i32 discriminant, then
// the joined payload slots (flatten_variant).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "abi/checks.h"
#include "abi/describe.h"
#include "abi/type.h"
#include "abi/values.h"

namespace theater::abi {

namespace detail {
template <class T>
struct IsTuple : std::false_type {};
template <class... Ts>
struct IsTuple<std::tuple<Ts...>> : std::true_type {};
}  // namespace detail

// A case without payload: zero bytes, no flat values (same ABI as the spec's
// `None` case type).
template <class T>
concept PayloadlessCase =
    std::is_class_v<T> && std::is_empty_v<T> && !DescribedRecord<T> && !detail::IsTuple<T>::value;

template <PayloadlessCase T>
struct Type<T> {
  static constexpr uint32_t kAlign = 1;
  static constexpr uint32_t kSize = 0;
  static constexpr FlatTypes<0> kFlat{};
  static constexpr bool kUsesMemory = false;
  static std::string name() { return "_"; }
  static Status load(LiftContext&, uint32_t, T&) { return {}; }
  static Status store(LowerContext&, const T&, uint32_t) { return {}; }
  static Status lift_flat(LiftContext&, FlatReader&, T&) { return {}; }
  static Status lower_flat(LowerContext&, const T&, FlatWriter&) { return {}; }
};

// The shared ABI of all variants. `Access` adapts the C++ type V:
//   static size_t index(const V&);                       // >= case count if empty
//   template <size_t I> static Status fill(V&, F&& f);   // make V case I, f(payload&)
//   template <size_t I> static Status read(const V&, F&& f);  // f(const payload&)
//   static std::string name();
template <class V, class Access, class... Cases>
struct VariantType {
  static constexpr size_t kCases = sizeof...(Cases);
  static constexpr uint32_t kDiscriminantSize = discriminant_size(kCases);
  static constexpr uint32_t kMaxCaseAlign = std::max({uint32_t{1}, Type<Cases>::kAlign...});
  static constexpr uint32_t kAlign = std::max(kDiscriminantSize, kMaxCaseAlign);
  static constexpr uint32_t kPayloadOffset = align_to(kDiscriminantSize, kMaxCaseAlign);
  static constexpr uint32_t kSize =
      align_to(kPayloadOffset + std::max({uint32_t{0}, Type<Cases>::kSize...}), kAlign);
  static constexpr auto kFlat = flatten_variant(Type<Cases>::kFlat...);
  static constexpr bool kUsesMemory = (false || ... || Type<Cases>::kUsesMemory);
  static std::string name() { return Access::name(); }

  static Status load(LiftContext& cx, uint32_t ptr, V& out) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, load_uint(cx.memory(), ptr, kDiscriminantSize));
    if (index >= kCases) return invalid_discriminant(index, kCases, &name);
    return for_case(index, [&]<size_t I>() {
      return Access::template fill<I>(out, [&](auto& payload) {
        return Type<Case<I>>::load(cx, ptr + kPayloadOffset, payload);
      });
    });
  }

  static Status store(LowerContext& cx, const V& value, uint32_t ptr) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, checked_index(value));
    THEATER_RETURN_IF_ERROR(store_uint(cx.memory(), ptr, kDiscriminantSize, index));
    return for_case(index, [&]<size_t I>() {
      return Access::template read<I>(value, [&](const auto& payload) {
        return Type<Case<I>>::store(cx, payload, ptr + kPayloadOffset);
      });
    });
  }

  static Status lift_flat(LiftContext& cx, FlatReader& in, V& out) {
    const uint32_t index = in.next_u32();
    if (index >= kCases) return invalid_discriminant(index, kCases, &name);
    const size_t payload_start = in.position();
    THEATER_RETURN_IF_ERROR(for_case(index, [&]<size_t I>() {
      return Access::template fill<I>(
          out, [&](auto& payload) { return Type<Case<I>>::lift_flat(cx, in, payload); });
    }));
    in.skip_to(payload_start + kFlat.size() - 1);  // the slots this case does not use
    return {};
  }

  static Status lower_flat(LowerContext& cx, const V& value, FlatWriter& out) {
    THEATER_ASSIGN_OR_RETURN(uint32_t index, checked_index(value));
    out.put_u32(index);
    const size_t payload_start = out.position();
    THEATER_RETURN_IF_ERROR(for_case(index, [&]<size_t I>() {
      return Access::template read<I>(
          value, [&](const auto& payload) { return Type<Case<I>>::lower_flat(cx, payload, out); });
    }));
    out.retype_and_pad(payload_start, std::span<const ValType>(kFlat).subspan(1));
    return {};
  }

 private:
  template <size_t I>
  using Case = std::tuple_element_t<I, std::tuple<Cases...>>;

  static Result<uint32_t> checked_index(const V& value) {
    const size_t index = Access::index(value);
    if (index >= kCases) {
      return make_error(ErrorCode::kInvalidArgument,
                        "host " + name() + " holds no case (valueless after an exception)");
    }
    return static_cast<uint32_t>(index);
  }

  // Calls step<I>() for the runtime case index I.
  template <class Step>
  static Status for_case(size_t index, Step&& step) {
    return for_case_impl(index, step, std::index_sequence_for<Cases...>{});
  }
  template <class Step, size_t... Is>
  static Status for_case_impl(size_t index, Step& step, std::index_sequence<Is...>) {
    Status status;
    (void)((index == Is && (status = step.template operator()<Is>(), true)) || ...);
    return status;
  }
};

// std::variant ---------------------------------------------------------------

template <class... Cases>
struct StdVariantAccess {
  using V = std::variant<Cases...>;
  static size_t index(const V& v) { return v.index(); }
  template <size_t I, class F>
  static Status fill(V& v, F&& f) {
    return f(v.template emplace<I>());
  }
  template <size_t I, class F>
  static Status read(const V& v, F&& f) {
    return f(*std::get_if<I>(&v));
  }
  static std::string name() {
    std::string out = "variant<";
    size_t i = 0;
    ((out += (i++ ? ", " : "") + Type<Cases>::name()), ...);
    return out + ">";
  }
};

template <class... Cases>
struct Type<std::variant<Cases...>>
    : VariantType<std::variant<Cases...>, StdVariantAccess<Cases...>, Cases...> {};

// option<T> = variant { none, some(T) } ----------------------------------------

template <class T>
struct OptionalAccess {
  using V = std::optional<T>;
  static size_t index(const V& v) { return v.has_value() ? 1 : 0; }
  template <size_t I, class F>
  static Status fill(V& v, F&& f) {
    if constexpr (I == 0) {
      v.reset();
      Unit none;
      return f(none);
    } else {
      return f(v.emplace());
    }
  }
  template <size_t I, class F>
  static Status read(const V& v, F&& f) {
    if constexpr (I == 0) {
      return f(Unit{});
    } else {
      return f(*v);
    }
  }
  static std::string name() { return "option<" + Type<T>::name() + ">"; }
};

template <class T>
struct Type<std::optional<T>> : VariantType<std::optional<T>, OptionalAccess<T>, Unit, T> {};

// result<T, E> = variant { ok(T), err(E) } -------------------------------------

template <class T, class E>
struct OutcomeAccess {
  using V = Outcome<T, E>;
  static size_t index(const V& v) { return v.cases().index(); }
  template <size_t I, class F>
  static Status fill(V& v, F&& f) {
    return f(v.cases().template emplace<I>());
  }
  template <size_t I, class F>
  static Status read(const V& v, F&& f) {
    return f(*std::get_if<I>(&v.cases()));
  }
  static std::string name() { return "result<" + Type<T>::name() + ", " + Type<E>::name() + ">"; }
};

template <class T, class E>
struct Type<Outcome<T, E>> : VariantType<Outcome<T, E>, OutcomeAccess<T, E>, T, E> {};

}  // namespace theater::abi
