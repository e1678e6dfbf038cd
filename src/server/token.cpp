#include "server/token.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/unique_fd.h"

namespace theater::server {
namespace {

constexpr size_t kTokenBytes = 32;

Result<std::string> random_hex() {
  unsigned char bytes[kTokenBytes];
  size_t got = 0;
  while (got < kTokenBytes) {
    const ssize_t n = getrandom(bytes + got, kTokenBytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return make_error(ErrorCode::kInternal, std::string("getrandom: ") + strerror(errno));
    got += static_cast<size_t>(n);
  }
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

bool is_token(const std::string& text) {
  if (text.size() != 2 * kTokenBytes) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

Result<std::string> read_token(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  if (!is_token(text)) {
    return make_error(
        ErrorCode::kInvalidArgument,
        path.string() + " does not hold a token (64 hex digits): remove it to get a new one");
  }
  return text;
}

}  // namespace

Result<std::string> load_or_create_token(const std::filesystem::path& home) {
  const std::filesystem::path path = home / "token";
  THEATER_ASSIGN_OR_RETURN(std::string fresh, random_hex());
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    if (errno != EEXIST) {
      return make_error(ErrorCode::kInternal,
                        "cannot create " + path.string() + ": " + strerror(errno));
    }
    // Someone could have loosened it: it guards who may start processes.
    if (::chmod(path.c_str(), 0600) != 0) {
      return make_error(ErrorCode::kInternal,
                        "cannot chmod " + path.string() + ": " + strerror(errno));
    }
    return read_token(path);
  }
  const std::string line = fresh + "\n";
  if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return make_error(ErrorCode::kInternal,
                      "cannot write " + path.string() + ": " + strerror(errno));
  }
  return fresh;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.substr(0, kScheme.size()) != kScheme) return false;
  std::string_view given = authorization.substr(kScheme.size());
  if (given.size() != token.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < token.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ token[i]);
  return difference == 0;
}

}  // namespace theater::server
