#include "handlers/filesystem/beneath.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

namespace theater::handlers::beneath {
namespace {

// EAGAIN: a rename or mount raced the resolution; the kernel asks to retry.
constexpr int kRaceRetries = 16;
// Temporary names in the directory written to; a crash may leave one behind.
constexpr const char* kTemporaryPrefix = ".theater-tmp-";
constexpr int kTemporaryNameTries = 16;

int openat2_raw(int dir, const char* path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    const long fd = ::syscall(SYS_openat2, dir, path, &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN || attempt == kRaceRetries) return static_cast<int>(fd);
  }
}

std::string temporary_name() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(generator()));
  return std::string(kTemporaryPrefix) + hex;
}

Status write_all(int fd, const std::vector<std::uint8_t>& content, const std::string& shown) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error_from_errno(errno, "cannot write", shown);
    done += static_cast<std::size_t>(n);
  }
  return ok_status();
}

// The temporary file's descriptor and name; removed unless committed.
class Temporary {
 public:
  Temporary(int dir, UniqueFd fd, std::string name)
      : dir_(dir), fd_(std::move(fd)), name_(std::move(name)) {}
  ~Temporary() {
    if (!committed_) ::unlinkat(dir_, name_.c_str(), 0);
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  void commit() { committed_ = true; }

 private:
  int dir_;
  UniqueFd fd_;
  std::string name_;
  bool committed_ = false;
};

Result<std::unique_ptr<Temporary>> create_temporary(int parent, const std::string& shown) {
  for (int attempt = 0; attempt < kTemporaryNameTries; ++attempt) {
    std::string name = temporary_name();
    // One component below an already-confined directory: nothing to resolve;
    // O_EXCL never follows a symbolic link.
    const int fd =
        ::openat(parent, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return std::make_unique<Temporary>(parent, UniqueFd(fd), std::move(name));
    if (errno != EEXIST)
      return error_from_errno(errno, "cannot create a temporary file for", shown);
  }
  return make_error(ErrorCode::kInternal, "no free temporary name for " + shown);
}

}  // namespace

Error error_from_errno(int error, const std::string& what, const std::string& shown) {
  const std::string subject = what + " '" + shown + "'";
  switch (error) {
    case EXDEV:
      return make_error(ErrorCode::kPermissionDenied,
                        subject +
                            ": the path leaves its root (through '..', an absolute path "
                            "or a symbolic link)");
    case ELOOP:
      return make_error(ErrorCode::kPermissionDenied,
                        subject + ": a symbolic link loop or a /proc magic link");
    case ENOSYS:
      return make_error(ErrorCode::kUnavailable,
                        subject +
                            ": this kernel has no openat2 (Linux 5.6+); refusing rather "
                            "than resolving paths unsafely");
    case ENOENT:
      return make_error(ErrorCode::kNotFound, subject + ": no such file or directory");
    default:
      return make_error(ErrorCode::kInternal, subject + ": " + std::strerror(error));
  }
}

Result<UniqueFd> open_root(const std::string& path) {
  const int fd = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return error_from_errno(errno, "cannot open granted directory", path);
  UniqueFd root(fd);
  THEATER_ASSIGN_OR_RETURN(UniqueFd probe, open(root.get(), ".", O_PATH, path));
  return root;
}

Result<UniqueFd> open(int dir, const std::string& relative, int flags, const std::string& shown) {
  const int fd = openat2_raw(dir, relative.c_str(), flags, 0);
  if (fd < 0) return error_from_errno(errno, "cannot open", shown);
  return UniqueFd(fd);
}

Result<std::vector<std::uint8_t>> read_file(int dir, const std::string& relative,
                                            std::uint64_t max_size, const std::string& shown) {
  // O_NONBLOCK: opening a FIFO must not hang the actor (it is refused below).
  THEATER_ASSIGN_OR_RETURN(UniqueFd fd, open(dir, relative, O_RDONLY | O_NONBLOCK, shown));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return error_from_errno(errno, "cannot stat", shown);
  if (!S_ISREG(info.st_mode)) {
    return make_error(ErrorCode::kInvalidArgument, "'" + shown + "' is not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  auto too_large = [&](std::uint64_t seen) {
    return make_error(ErrorCode::kResourceExhausted, "'" + shown + "' is " + std::to_string(seen) +
                                                         " bytes or more, over max_file_size " +
                                                         std::to_string(max_size));
  };
  if (size > max_size) return too_large(size);
  // One byte more than the limit allows tells a file that grew meanwhile.
  std::vector<std::uint8_t> content(static_cast<std::size_t>(std::min(size + 1, max_size + 1)));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error_from_errno(errno, "cannot read", shown);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done > max_size) return too_large(done);
  content.resize(done);
  return content;
}

Status write_file_atomically(int parent, const std::string& name,
                             const std::vector<std::uint8_t>& content, const std::string& shown) {
  THEATER_ASSIGN_OR_RETURN(std::unique_ptr<Temporary> temporary, create_temporary(parent, shown));
  THEATER_RETURN_IF_ERROR(write_all(temporary->fd(), content, shown));
  if (::fsync(temporary->fd()) != 0) return error_from_errno(errno, "cannot fsync", shown);
  // renameat replaces the entry itself: a symbolic link there is replaced, never followed.
  if (::renameat(parent, temporary->name().c_str(), parent, name.c_str()) != 0) {
    return error_from_errno(errno, "cannot replace", shown);
  }
  temporary->commit();
  if (::fsync(parent) != 0) return error_from_errno(errno, "cannot fsync the directory of", shown);
  return ok_status();
}

Result<std::vector<std::string>> list(int dir, const std::string& relative,
                                      const std::string& shown) {
  THEATER_ASSIGN_OR_RETURN(UniqueFd fd, open(dir, relative, O_RDONLY | O_DIRECTORY, shown));
  DIR* stream = ::fdopendir(fd.get());
  if (stream == nullptr) return error_from_errno(errno, "cannot list", shown);
  fd.release();  // the stream owns it now
  std::unique_ptr<DIR, int (*)(DIR*)> closer(stream, ::closedir);
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  if (errno != 0) return error_from_errno(errno, "cannot list", shown);
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> exists(int dir, const std::string& relative, const std::string& shown) {
  const int fd = openat2_raw(dir, relative.c_str(), O_PATH, 0);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  if (errno == ENOENT || errno == ENOTDIR) return false;
  return error_from_errno(errno, "cannot look up", shown);
}

}  // namespace theater::handlers::beneath
