// Fuzzes the canonical ABI's lifting of every kind of type (bool, integers,
// floats, char, string, list, option, result, tuple, record, variant, enum,
// flags, and nestings of them) from arbitrary guest memory and flat values.
// Every lift must give a value or a clean error: never a crash, undefined
// behaviour, a read outside memory or an allocation the memory does not
// justify. A value the host accepted from a host call's arguments must also
// survive being lowered back as its result and lifted again, unchanged.
//
// Input:  type u8 | mode u8 | flat values | guest memory (the rest)
//   type   picks an entry of FuzzedTypes (modulo their count)
//   mode   bits 0-2: the entry point (Mode); bit 3: each value's core type is
//          read from the input (so mistyped values get checked) instead of
//          taken from the signature; bit 4: cabi_realloc answers pointers
//          read from the input (a lying allocator) instead of allocating
//   values one per core parameter: [type u8 when bit 3] then 4 bytes (i32,
//          f32) or 8 bytes (i64, f64), little-endian; missing bytes are zero
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "abi/abi.h"
#include "test_types.h"  // the WIT types of tests/unit/abi

namespace {

namespace abi = theater::abi;
using namespace theater::abi::testing;  // NOLINT: the test WIT types
using theater::ErrorCode;
using theater::make_error;
using theater::Result;
using theater::Status;
using theater::wasm::ValType;
using theater::wasm::Value;

// ---- the types ----------------------------------------------------------------

// A variant whose cases need every join of core types (i32/f32 -> i32,
// i32/i64 -> i64, f32/f64 -> i64...), with and without payload.
using Joined = std::variant<Raw, uint32_t, float, uint64_t, std::string, double,
                            std::tuple<uint8_t, uint64_t>, std::vector<Item>>;

enum class Two { first, second };
THEATER_ABI_ENUM(Two, first, second)

template <class... Ts>
struct TypeList {
  static constexpr size_t kCount = sizeof...(Ts);
};

using FuzzedTypes = TypeList<
    // scalars
    bool, uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, uint64_t, int64_t, float, double,
    abi::Char,
    // strings and lists (bulk-copied and element by element)
    std::string, std::vector<uint8_t>, std::vector<int16_t>, std::vector<uint64_t>,
    std::vector<bool>, std::vector<double>, std::vector<abi::Char>, std::vector<std::string>,
    std::vector<std::vector<uint32_t>>, std::vector<Item>,
    // option, result, tuple
    std::optional<uint32_t>, std::optional<std::string>, State, abi::Outcome<uint64_t, std::string>,
    abi::Outcome<abi::Unit, std::string>, abi::Outcome<std::string, abi::Unit>, CallbackResult,
    std::tuple<uint8_t, std::string, double>,
    // records (Sixteen fills MAX_FLAT_PARAMS; ProcessConfig spills with a second one)
    Item, Mixed, ProcessStatus, ProcessConfig, ChainEvent, ActorError, Sixteen,
    // variants and enums
    OutputMode, Joined, std::vector<Joined>, Two, ActorErrorKind,
    // flags of every word count and edge
    abi::Flags<1>, abi::Flags<8>, abi::Flags<9>, abi::Flags<16>, abi::Flags<17>, abi::Flags<32>,
    abi::Flags<33>, abi::Flags<64>, abi::Flags<70>,
    // nestings
    std::vector<std::optional<abi::Outcome<ActorErrorKind, abi::Flags<3>>>>,
    std::optional<std::tuple<std::vector<ChainEvent>, Two>>>;
// fuzz/make_corpus.py writes one seed per type and mode.
static_assert(FuzzedTypes::kCount == 53, "update ABI_TYPE_COUNT in fuzz/make_corpus.py");

// ---- the input ----------------------------------------------------------------

enum class Mode : uint8_t {
  kLiftFlat,         // abi::lift_flat<T>
  kLoad,             // abi::load<T> at a pointer
  kExportResult,     // Function<T()>::lift_results: an export's result
  kImportOneParam,   // Function<T(T)>::invoke: a host call's arguments, result lowered
  kImportTwoParams,  // Function<T(T, T)>::invoke: spills past 16 flat params
};
constexpr uint8_t kModeCount = 5;  // also ABI_MODE_COUNT in fuzz/make_corpus.py
constexpr uint8_t kMistypedValues = 1 << 3;
constexpr uint8_t kLyingRealloc = 1 << 4;

// Reads the input front to back; past its end, zeros.
class InputReader {
 public:
  explicit InputReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint64_t take(size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) {
      if (at_ < bytes_.size()) value |= uint64_t{bytes_[at_++]} << (8 * i);
    }
    return value;
  }
  bool exhausted() const { return at_ >= bytes_.size(); }
  std::span<const uint8_t> rest() const { return bytes_.subspan(std::min(at_, bytes_.size())); }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

size_t byte_size(ValType type) {
  return type == ValType::kI32 || type == ValType::kF32 ? 4 : 8;
}

std::vector<Value> read_values(InputReader& in, std::span<const ValType> signature, bool mistyped) {
  std::vector<Value> values;
  for (ValType expected : signature) {
    const ValType type = mistyped ? static_cast<ValType>(in.take(1) % 4) : expected;
    values.push_back(abi::value_from_bits(type, in.take(byte_size(type))));
  }
  return values;
}

// ---- the guest ----------------------------------------------------------------

// A guest whose linear memory is a byte buffer of any size. cabi_realloc
// allocates at the end, growing memory the way memory.grow does: into a fresh
// buffer, so a view kept across an allocation is a use-after-free ASan reports.
// Or, as a lying allocator, it answers whatever pointers the input says.
class ByteGuest final : public abi::Guest {
 public:
  static constexpr uint64_t kMaxMemory = uint64_t{16} << 20;

  ByteGuest(std::span<const uint8_t> memory, InputReader* lies)
      : memory_(memory.begin(), memory.end()), lies_(lies) {}

  Result<theater::wasm::MemoryView> memory() override {
    return theater::wasm::MemoryView(memory_.data(), memory_.size());
  }

  Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align,
                           uint32_t new_size) override {
    if (old_ptr != 0 || old_size != 0 || align == 0 || (align & (align - 1)) != 0) {
      std::abort();  // the host only ever asks for fresh, power-of-two-aligned blocks
    }
    if (lies_ != nullptr) {
      if (lies_->exhausted()) return make_error(ErrorCode::kTrap, "wasm trap: unreachable");
      return static_cast<uint32_t>(lies_->take(4));
    }
    const uint64_t ptr = (memory_.size() + align - 1) / align * align;
    if (ptr + new_size > kMaxMemory) {
      return make_error(ErrorCode::kResourceExhausted, "guest out of memory");
    }
    std::vector<uint8_t> grown(ptr + new_size, 0);
    if (!memory_.empty()) std::memcpy(grown.data(), memory_.data(), memory_.size());
    memory_.swap(grown);
    return static_cast<uint32_t>(ptr);
  }

 private:
  std::vector<uint8_t> memory_;
  InputReader* lies_;
};

// ---- the entry points ---------------------------------------------------------

// NaN != NaN, so only values equal to themselves can be compared.
template <class T>
void check_unchanged(const T& before, const T& after) {
  if (before == before && !(after == before)) std::abort();
}

// A host function that returns its first argument: lifts the arguments,
// lowers the result (flat or through the return pointer), then lifts that
// result again as an export's result would be.
template <class T, class Sig>
void fuzz_import(InputReader& in, bool mistyped, bool lying) {
  using F = abi::Function<Sig>;
  const std::vector<Value> args = read_values(in, F::kImportParams, mistyped);
  InputReader lies(in.rest());
  ByteGuest guest(in.rest(), lying ? &lies : nullptr);
  std::vector<Value> results(F::kImportResults.size());
  std::optional<T> argument;
  auto return_first = [&argument](const T& first, const auto&... /*others*/) -> T {
    argument = first;
    return first;
  };
  if (!F::invoke(guest, args, results, return_first).ok()) return;
  if (!argument) std::abort();  // invoke succeeded without calling the host function
  // A lying allocator can hand out the return area itself: then the result is
  // not what was lowered, and nothing can be compared.
  if (lying) return;
  std::vector<Value> core_results = results;
  if constexpr (F::kResultsInMemory) core_results = {args.back()};
  auto lifted = abi::Function<T()>::lift_results(guest, core_results);
  if (!lifted.ok()) std::abort();  // what the host lowered it must be able to lift
  check_unchanged(*argument, *lifted);
}

template <class T>
void fuzz_type(InputReader& in, uint8_t mode_byte) {
  const bool mistyped = mode_byte & kMistypedValues;
  const bool lying = mode_byte & kLyingRealloc;
  switch (static_cast<Mode>((mode_byte & 7) % kModeCount)) {
    case Mode::kLiftFlat: {
      const std::vector<Value> values = read_values(in, abi::Type<T>::kFlat, mistyped);
      ByteGuest guest(in.rest(), nullptr);
      (void)abi::lift_flat<T>(*guest.memory(), values);
      return;
    }
    case Mode::kLoad: {
      const auto ptr = static_cast<uint32_t>(in.take(4));
      ByteGuest guest(in.rest(), nullptr);
      (void)abi::load<T>(*guest.memory(), ptr);
      return;
    }
    case Mode::kExportResult: {
      using F = abi::Function<T()>;
      const std::vector<Value> results = read_values(in, F::kExportResults, mistyped);
      ByteGuest guest(in.rest(), nullptr);
      (void)F::lift_results(guest, results);
      return;
    }
    case Mode::kImportOneParam:
      return fuzz_import<T, T(T)>(in, mistyped, lying);
    case Mode::kImportTwoParams:
      return fuzz_import<T, T(T, T)>(in, mistyped, lying);
  }
}

template <class... Ts>
void fuzz_type_at(size_t index, InputReader& in, uint8_t mode_byte, TypeList<Ts...>) {
  size_t i = 0;
  (void)((i++ == index && (fuzz_type<Ts>(in, mode_byte), true)) || ...);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InputReader in({data, size});
  const size_t type_index = in.take(1) % FuzzedTypes::kCount;
  const auto mode_byte = static_cast<uint8_t>(in.take(1));
  fuzz_type_at(type_index, in, mode_byte, FuzzedTypes{});
  return 0;
}
