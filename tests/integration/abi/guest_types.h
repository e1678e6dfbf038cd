// The WIT types and function signatures of the abi test guests
// (tests/guests/abi/README.md) written once as C++ types, so abi::Function
// derives every core signature, layout and check from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "abi/abi.h"

namespace theater::abi::testing {

using Bytes = std::vector<uint8_t>;

// record person { name: string, age: u8, tags: list<string>, score: option<f64> }
struct Person {
  std::string name;
  uint8_t age = 0;
  std::vector<std::string> tags;
  std::optional<double> score;
  bool operator==(const Person&) const = default;
};
THEATER_ABI_RECORD(Person, name, age, tags, score)

// variant shape { nothing, small(u8), num(f64), text(string), ratio(f32) }
struct Nothing {
  bool operator==(const Nothing&) const = default;
};
using Shape = std::variant<Nothing, uint8_t, double, std::string, float>;

enum class Color { red, green, blue };
THEATER_ABI_ENUM(Color, red, green, blue)

using Perms = Flags<3>;  // flags perms { read, write, exec }
using Flags12 = Flags<12>;
using Flags40 = Flags<40>;

// record item { a: option<string>, b: list<u8> }
struct Item {
  std::optional<std::string> a;
  Bytes b;
  bool operator==(const Item&) const = default;
};
THEATER_ABI_RECORD(Item, a, b)

using Scalars = std::tuple<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, uint64_t, int64_t,
                           float, double, Char, bool>;

// Fifteen values that flatten to 18 core values: more than MAX_FLAT_PARAMS.
using Spilled = std::tuple<uint8_t, uint16_t, uint32_t, uint64_t, int8_t, int16_t, int32_t, int64_t,
                           float, double, Char, bool, std::string, Bytes, std::optional<uint32_t>>;

// The WIT signatures of the exports and imports, by name.
namespace sig {
template <class T>
using Echo = T(T);
using FormatScalars = std::string(uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, uint64_t,
                                  int64_t, float, double, Char, bool);
using EchoScalars = Scalars(uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, uint64_t,
                            int64_t, float, double, Char, bool);
using EnumFlags = std::tuple<Color, Perms, Flags12, Flags40>(Color, Perms, Flags12, Flags40);
using EchoSpilled = Spilled(uint8_t, uint16_t, uint32_t, uint64_t, int8_t, int16_t, int32_t,
                            int64_t, float, double, Char, bool, std::string, Bytes,
                            std::optional<uint32_t>);
using ResultShape = Outcome<Shape, std::string>;
using AddU64 = uint64_t(uint64_t, uint64_t);
using LiveBlocks = uint32_t();

// Host functions of import module "test:abi/host".
using Log = void(std::string);
using SumU32s = uint64_t(std::vector<uint32_t>);
using Greet = std::string(std::string);
}  // namespace sig

inline constexpr const char* kHostModule = "test:abi/host";

}  // namespace theater::abi::testing
