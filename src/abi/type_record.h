// Records (described with THEATER_ABI_RECORD) and tuples (std::tuple): fields
// in order, each at its own alignment; flat, the fields' flattenings in order.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "abi/describe.h"
#include "abi/type.h"

namespace theater::abi {

// The shared layout of records and tuples. `Naming` gives the type's name
// and field labels; each getter gives one field (`Member`, `get(owner)`).
template <class T, class Naming, class... Getters>
struct ProductType {
  static constexpr size_t kFields = sizeof...(Getters);
  static constexpr uint32_t kAlign =
      std::max({uint32_t{1}, Type<typename Getters::Member>::kAlign...});
  static constexpr std::array<uint32_t, kFields> kOffsets = [] {
    std::array<uint32_t, kFields> offsets{};
    uint32_t end = 0;
    size_t i = 0;
    ((end = align_to(end, Type<typename Getters::Member>::kAlign), offsets[i++] = end,
      end += Type<typename Getters::Member>::kSize),
     ...);
    return offsets;
  }();
  static constexpr uint32_t kSize = [] {
    uint32_t end = 0;
    ((end = align_to(end, Type<typename Getters::Member>::kAlign) +
            Type<typename Getters::Member>::kSize),
     ...);
    return align_to(end, kAlign);
  }();
  static constexpr auto kFlat = concat(Type<typename Getters::Member>::kFlat...);
  static constexpr bool kUsesMemory = (false || ... || Type<typename Getters::Member>::kUsesMemory);
  static std::string name() { return Naming::name(); }

  static Status load(LiftContext& cx, uint32_t ptr, T& out) {
    return each_field([&]<size_t I, class G>() {
      return Type<typename G::Member>::load(cx, ptr + kOffsets[I], G::get(out));
    });
  }
  static Status store(LowerContext& cx, const T& value, uint32_t ptr) {
    return each_field([&]<size_t I, class G>() {
      return Type<typename G::Member>::store(cx, G::get(value), ptr + kOffsets[I]);
    });
  }
  static Status lift_flat(LiftContext& cx, FlatReader& in, T& out) {
    return each_field([&]<size_t I, class G>() {
      return Type<typename G::Member>::lift_flat(cx, in, G::get(out));
    });
  }
  static Status lower_flat(LowerContext& cx, const T& value, FlatWriter& out) {
    return each_field([&]<size_t I, class G>() {
      return Type<typename G::Member>::lower_flat(cx, G::get(value), out);
    });
  }

 private:
  // Runs `step<I, Getter>()` for each field in order; the first error stops
  // the walk and is returned with the field named.
  template <class Step>
  static Status each_field(Step&& step) {
    return each_field_impl(step, std::index_sequence_for<Getters...>{});
  }
  template <class Step, size_t... Is>
  static Status each_field_impl(Step& step, std::index_sequence<Is...>) {
    Status status;
    size_t failed = 0;
    (void)((status = step.template operator()<Is, Getters>(), failed = Is, status.ok()) && ...);
    if (status.ok()) return status;
    return status.error().context(Naming::name() + "." + Naming::field(failed));
  }
};

// Records ------------------------------------------------------------------

template <class T>
struct RecordNaming {
  static constexpr auto kDescription = theater_abi_record(static_cast<const T*>(nullptr));
  static std::string name() { return kDescription.name; }
  static std::string field(size_t i) {
    return std::apply(
        [i](const auto&... fields) {
          const char* names[] = {fields.name...};
          return std::string(names[i]);
        },
        kDescription.fields);
  }
};

template <class T, class Fields>
struct RecordTypeOf;
template <class T, class... Fields>
struct RecordTypeOf<T, std::tuple<Fields...>> {
  using type = ProductType<T, RecordNaming<T>, Fields...>;
};

template <DescribedRecord T>
struct Type<T>
    : RecordTypeOf<T, decltype(theater_abi_record(static_cast<const T*>(nullptr)).fields)>::type {};

// Tuples -------------------------------------------------------------------

template <class Tuple, size_t I>
struct TupleElement {
  using Member = std::tuple_element_t<I, Tuple>;
  static Member& get(Tuple& t) { return std::get<I>(t); }
  static const Member& get(const Tuple& t) { return std::get<I>(t); }
};

template <class... Ts>
struct TupleNaming {
  static std::string name() {
    std::string out = "tuple<";
    size_t i = 0;
    ((out += (i++ ? ", " : "") + Type<Ts>::name()), ...);
    return out + ">";
  }
  static std::string field(size_t i) { return std::to_string(i); }
};

template <class Tuple, class Indices>
struct TupleTypeOf;
template <class... Ts, size_t... Is>
struct TupleTypeOf<std::tuple<Ts...>, std::index_sequence<Is...>> {
  using type =
      ProductType<std::tuple<Ts...>, TupleNaming<Ts...>, TupleElement<std::tuple<Ts...>, Is>...>;
};

template <class... Ts>
struct Type<std::tuple<Ts...>>
    : TupleTypeOf<std::tuple<Ts...>, std::index_sequence_for<Ts...>>::type {};

}  // namespace theater::abi
