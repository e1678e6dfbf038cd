// AllowList: the set of things a permission lets through (programs, variable
// names, directories), or "everything" (written ["*"] in a manifest).
//
// One class for names and paths: only the membership test differs. A name
// matches an equal entry; a path matches an entry it equals or lies below.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace theater::config {

enum class Matching {
  kExactName,   // "HOME" allows "HOME" only
  kPathPrefix,  // "/data" allows "/data" and "/data/x", not "/data2"
};

class AllowList {
 public:
  static AllowList everything(Matching matching);
  static AllowList nothing(Matching matching);
  // Entries are kept sorted and deduplicated; paths must be canonical.
  static AllowList of(Matching matching, std::vector<std::string> entries);

  [[nodiscard]] bool is_everything() const { return everything_; }
  [[nodiscard]] bool is_empty() const { return !everything_ && entries_.empty(); }
  [[nodiscard]] Matching matching() const { return matching_; }
  [[nodiscard]] const std::vector<std::string>& entries() const { return entries_; }

  // Whether one item (a program path, a variable name, a path) is let through.
  [[nodiscard]] bool allows(std::string_view item) const;

  // The first entry of `inner` this list does not let through ("*" when
  // `inner` is everything and this is not); nullopt when inner fits inside.
  [[nodiscard]] std::optional<std::string> first_not_allowed(const AllowList& inner) const;

  // What both let through. Paths: an entry of one side survives when it lies
  // inside the other side, so {/a} and {/a/b} intersect to {/a/b}.
  [[nodiscard]] AllowList intersect(const AllowList& other) const;

  // ["*"], [] or ["a", "b"], for messages and logs.
  [[nodiscard]] std::string to_string() const;

  bool operator==(const AllowList&) const = default;

 private:
  AllowList(Matching matching, bool everything, std::vector<std::string> entries);
  [[nodiscard]] bool matches(std::string_view item, std::string_view entry) const;

  Matching matching_;
  bool everything_;
  std::vector<std::string> entries_;
};

}  // namespace theater::config
