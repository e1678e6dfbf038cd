// Function<R(Args...)>: a WIT function written as a C++ signature, e.g.
//   using OsSpawn = abi::Function<abi::Outcome<uint64_t, std::string>(ProcessConfig)>;
// and its two directions (spec: "Lifting and Lowering Functions"):
//
// Import (the guest calls a host function; spec: canon lower):
//   OsSpawn::import_type()       the core type the guest imports
//   OsSpawn::invoke(guest, args, results, fn)
//       lifts `args`, calls fn(ProcessConfig) -> R | Result<R>, lowers R into
//       `results` or through the guest's return pointer (last argument).
//
// Export (the host calls a guest function; spec: canon lift):
//   OsSpawn::export_type()       the core type of the export
//   OsSpawn::lower_args(guest, config)  -> the core arguments
//   OsSpawn::lift_results(guest, core_results) -> R (Status when R is void)
//   then call `cabi_post_<export>` (post_return_name) with the same core
//   results, if the guest exports it: strings and lists are copied out by then.
//   OsSpawn::call_export(guest, call, post_return, config) does all of it.
//
// Past 16 flat parameters, parameters travel as one tuple in memory; past one
// flat result, the result travels through memory (retptr / returned pointer).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "abi/checks.h"
#include "abi/context.h"
#include "abi/layout.h"
#include "abi/type.h"
#include "abi/type_record.h"

namespace theater::abi {

inline std::string post_return_name(std::string_view export_name) {
  return "cabi_post_" + std::string(export_name);
}

namespace detail {

template <class R>
struct ResultFlat {
  static constexpr auto kFlat = Type<R>::kFlat;
};
template <>
struct ResultFlat<void> {
  static constexpr FlatTypes<0> kFlat{};
};

// `flat`, or one i32 pointer in its place when it travels through memory.
template <bool kInMemory, size_t N>
constexpr auto pointer_if(const FlatTypes<N>& flat) {
  if constexpr (kInMemory) {
    return FlatTypes<1>{ValType::kI32};
  } else {
    return flat;
  }
}

// `flat`, or nothing when it travels through memory.
template <bool kInMemory, size_t N>
constexpr auto nothing_if(const FlatTypes<N>& flat) {
  if constexpr (kInMemory) {
    return FlatTypes<0>{};
  } else {
    return flat;
  }
}

template <size_t N>
std::vector<ValType> to_vector(const FlatTypes<N>& flat) {
  return {flat.begin(), flat.end()};
}

}  // namespace detail

template <class Sig>
struct Function;

template <class R, class... Args>
struct Function<R(Args...)> {
  using Params = std::tuple<std::decay_t<Args>...>;
  using ParamsType = Type<Params>;
  // What the host function returns to `invoke` and what `lift_results` gives.
  using Returned = std::conditional_t<std::is_void_v<R>, Status, Result<R>>;

  static constexpr auto kFlatParams = ParamsType::kFlat;
  static constexpr auto kFlatResults = detail::ResultFlat<R>::kFlat;
  static constexpr bool kParamsInMemory = kFlatParams.size() > kMaxFlatParams;
  static constexpr bool kResultsInMemory = kFlatResults.size() > kMaxFlatResults;

  // Spec: flatten_functype(ft, 'lower') and flatten_functype(ft, 'lift').
  static constexpr auto kCoreParams = detail::pointer_if<kParamsInMemory>(kFlatParams);
  static constexpr auto kImportParams =
      concat(kCoreParams, detail::nothing_if<!kResultsInMemory>(FlatTypes<1>{ValType::kI32}));
  static constexpr auto kImportResults = detail::nothing_if<kResultsInMemory>(kFlatResults);
  static constexpr auto kExportResults = detail::pointer_if<kResultsInMemory>(kFlatResults);

  static wasm::FuncType import_type() {
    return {detail::to_vector(kImportParams), detail::to_vector(kImportResults)};
  }
  static wasm::FuncType export_type() {
    return {detail::to_vector(kCoreParams), detail::to_vector(kExportResults)};
  }
  // `cabi_post_<export>` takes the export's core results and returns nothing.
  static wasm::FuncType post_return_type() { return {detail::to_vector(kExportResults), {}}; }

  // ---- import side -----------------------------------------------------------

  template <class F>
  static Status invoke(Guest& guest, std::span<const wasm::Value> args,
                       std::span<wasm::Value> results, F&& fn) {
    THEATER_RETURN_IF_ERROR(check_flat_values(args, kImportParams, "arguments"));
    THEATER_RETURN_IF_ERROR(check_flat_count(results.size(), kImportResults.size(), "results"));
    Result<Params> params = lift_params(guest, args);
    if (!params.ok()) return params.error();
    if constexpr (std::is_void_v<R>) {
      return call(fn, std::move(params).value());
    } else {
      THEATER_ASSIGN_OR_RETURN(R result, call(fn, std::move(params).value()));
      return lower_result(guest, result, args, results);
    }
  }

  // ---- export side -----------------------------------------------------------

  static Result<std::vector<wasm::Value>> lower_args(Guest& guest,
                                                     const std::decay_t<Args>&... args) {
    LowerContext cx(guest);
    if constexpr (kParamsInMemory) {
      THEATER_ASSIGN_OR_RETURN(
          uint32_t ptr, cx.allocate(ParamsType::kAlign, ParamsType::kSize, &ParamsType::name));
      THEATER_RETURN_IF_ERROR(store_args(cx, ptr, std::index_sequence_for<Args...>{}, args...));
      return std::vector<wasm::Value>{wasm::Value::i32(static_cast<int32_t>(ptr))};
    } else {
      std::vector<wasm::Value> flat(kFlatParams.size());
      FlatWriter out(flat);
      Status status;
      (void)((status = Type<std::decay_t<Args>>::lower_flat(cx, args, out), status.ok()) && ...);
      if (!status.ok()) return status.error();
      return flat;
    }
  }

  // The whole host-to-guest call: lower, `call(core_args) -> Result<vector<Value>>`,
  // lift, then `post_return(core_results) -> Status` (for cabi_post_<export>;
  // pass a no-op when the guest has none). After a failed lift the instance
  // is suspect, so post-return is not run.
  template <class CoreCall, class PostReturn>
  static Returned call_export(Guest& guest, CoreCall&& call, PostReturn&& post_return,
                              const std::decay_t<Args>&... args) {
    THEATER_ASSIGN_OR_RETURN(std::vector<wasm::Value> core_args, lower_args(guest, args...));
    THEATER_ASSIGN_OR_RETURN(std::vector<wasm::Value> core_results, call(core_args));
    Returned lifted = lift_results(guest, core_results);
    if (!lifted.ok()) return lifted;
    THEATER_RETURN_IF_ERROR(post_return(std::span<const wasm::Value>(core_results)));
    return lifted;
  }

  static Returned lift_results(Guest& guest, std::span<const wasm::Value> results) {
    THEATER_RETURN_IF_ERROR(check_flat_values(results, kExportResults, "results"));
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      THEATER_ASSIGN_OR_RETURN(LiftContext cx,
                               make_lift_context(guest, kResultsInMemory || Type<R>::kUsesMemory));
      R out{};
      if constexpr (kResultsInMemory) {
        const uint32_t ptr = results[0].as_u32();
        THEATER_RETURN_IF_ERROR(check_area(cx.memory(), ptr, Type<R>::kSize, Type<R>::kAlign,
                                           "return area", &Type<R>::name));
        THEATER_RETURN_IF_ERROR(Type<R>::load(cx, ptr, out));
      } else {
        FlatReader in(results);
        THEATER_RETURN_IF_ERROR(Type<R>::lift_flat(cx, in, out));
      }
      return out;
    }
  }

 private:
  static Result<Params> lift_params(Guest& guest, std::span<const wasm::Value> args) {
    THEATER_ASSIGN_OR_RETURN(LiftContext cx,
                             make_lift_context(guest, kParamsInMemory || ParamsType::kUsesMemory));
    Params params{};
    if constexpr (kParamsInMemory) {
      const uint32_t ptr = args[0].as_u32();
      THEATER_RETURN_IF_ERROR(check_area(cx.memory(), ptr, ParamsType::kSize, ParamsType::kAlign,
                                         "spilled parameters", &ParamsType::name));
      THEATER_RETURN_IF_ERROR(ParamsType::load(cx, ptr, params));
    } else {
      FlatReader in(args.first(kFlatParams.size()));
      THEATER_RETURN_IF_ERROR(ParamsType::lift_flat(cx, in, params));
    }
    return params;
  }

  // Calls the host function; it may return R or Result<R> (void or Status).
  template <class F>
  static Returned call(F& fn, Params&& params) {
    using Out = decltype(std::apply(fn, std::move(params)));
    if constexpr (std::is_void_v<Out>) {
      std::apply(fn, std::move(params));
      return {};
    } else {
      return std::apply(fn, std::move(params));
    }
  }

  template <class T>  // R, as a template so that void R needs no such function
  static Status lower_result(Guest& guest, const T& result, std::span<const wasm::Value> args,
                             std::span<wasm::Value> results) {
    LowerContext cx(guest);
    if constexpr (kResultsInMemory) {
      const uint32_t retptr = args.back().as_u32();
      THEATER_RETURN_IF_ERROR(cx.load_memory());
      THEATER_RETURN_IF_ERROR(check_area(cx.memory(), retptr, Type<T>::kSize, Type<T>::kAlign,
                                         "return area", &Type<T>::name));
      return Type<T>::store(cx, result, retptr);
    } else {
      FlatWriter out(results);
      return Type<T>::lower_flat(cx, result, out);
    }
  }

  template <size_t... Is>
  static Status store_args(LowerContext& cx, uint32_t ptr, std::index_sequence<Is...>,
                           const std::decay_t<Args>&... args) {
    Status status;
    (void)((status = Type<std::decay_t<Args>>::store(cx, args, ptr + ParamsType::kOffsets[Is]),
            status.ok()) &&
           ...);
    return status;
  }
};

}  // namespace theater::abi
