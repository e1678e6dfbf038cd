#include "config/allow_list.h"

#include <algorithm>
#include <utility>

#include "config/paths.h"

namespace theater::config {

namespace {

std::vector<std::string> sorted_unique(std::vector<std::string> entries) {
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  return entries;
}

}  // namespace

AllowList::AllowList(Matching matching, bool everything, std::vector<std::string> entries)
    : matching_(matching), everything_(everything), entries_(sorted_unique(std::move(entries))) {}

AllowList AllowList::everything(Matching matching) {
  return AllowList(matching, true, {});
}

AllowList AllowList::nothing(Matching matching) {
  return AllowList(matching, false, {});
}

AllowList AllowList::of(Matching matching, std::vector<std::string> entries) {
  return AllowList(matching, false, std::move(entries));
}

bool AllowList::matches(std::string_view item, std::string_view entry) const {
  return matching_ == Matching::kExactName ? item == entry : is_within(item, entry);
}

bool AllowList::allows(std::string_view item) const {
  if (everything_) return true;
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const std::string& entry) { return matches(item, entry); });
}

std::optional<std::string> AllowList::first_not_allowed(const AllowList& inner) const {
  if (everything_) return std::nullopt;
  if (inner.everything_) return "*";
  for (const std::string& entry : inner.entries_) {
    if (!allows(entry)) return entry;
  }
  return std::nullopt;
}

AllowList AllowList::intersect(const AllowList& other) const {
  if (everything_) return other;
  if (other.everything_) return *this;
  std::vector<std::string> common;
  for (const std::string& entry : entries_) {
    if (other.allows(entry)) common.push_back(entry);
  }
  for (const std::string& entry : other.entries_) {
    if (allows(entry)) common.push_back(entry);
  }
  return AllowList(matching_, false, std::move(common));
}

std::string AllowList::to_string() const {
  if (everything_) return "[\"*\"]";
  std::string text = "[";
  for (const std::string& entry : entries_) {
    if (text.size() > 1) text += ", ";
    text += "\"" + entry + "\"";
  }
  return text + "]";
}

}  // namespace theater::config
