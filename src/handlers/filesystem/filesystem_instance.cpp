#include "handlers/filesystem/filesystem_instance.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>

#include "handlers/filesystem/beneath.h"
#include "handlers/filesystem/filesystem_records.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr mode_t kDirectoryMode = 0755;

// What the guest reads: refusals say so first.
Error for_guest(const Error& error) {
  return error.code == ErrorCode::kPermissionDenied ? error.context("permission denied") : error;
}

// The entry's parent directory, opened beneath the root (O_RDONLY, so that
// it can be fsynced after a rename).
Result<UniqueFd> open_parent(int root, const GuestPath& path, const std::string& shown) {
  return beneath::open(root, path.parent, O_RDONLY | O_DIRECTORY, shown);
}

}  // namespace

Result<std::unique_ptr<FilesystemInstance>> FilesystemInstance::open(
    const FilesystemPermissions& grant) {
  std::vector<Root> roots;
  for (const RootGrant& granted : grant.roots) {
    THEATER_ASSIGN_OR_RETURN(UniqueFd fd, beneath::open_root(granted.path));
    Root root;
    root.name = std::filesystem::path(granted.path).filename().string();
    root.path = granted.path;
    root.writable = granted.writable;
    root.fd = std::move(fd);
    roots.push_back(std::move(root));
  }
  return std::unique_ptr<FilesystemInstance>(
      new FilesystemInstance(std::move(roots), grant.max_file_size));
}

FilesystemInstance::FilesystemInstance(std::vector<Root> roots, std::uint64_t max_file_size)
    : roots_(std::move(roots)), max_file_size_(max_file_size) {}

Status FilesystemInstance::start(handler::ActorHandle actor, std::stop_token) {
  std::lock_guard lock(mutex_);
  if (started_ || stopped_) {
    return make_error(ErrorCode::kFailedPrecondition, "the filesystem handler was started before");
  }
  actor_ = std::move(actor);
  started_ = true;
  return ok_status();
}

void FilesystemInstance::stop(std::chrono::milliseconds) {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

Result<handler::ActorHandle> FilesystemInstance::actor(const char* function) const {
  std::lock_guard lock(mutex_);
  if (stopped_) {
    return make_error(ErrorCode::kUnavailable,
                      std::string(function) + ": the filesystem handler has stopped");
  }
  if (!started_) {
    return make_error(ErrorCode::kFailedPrecondition,
                      std::string(function) + ": the filesystem handler has not started yet");
  }
  return actor_;
}

Result<FilesystemInstance::Target> FilesystemInstance::target(const std::string& path,
                                                              bool for_writing) const {
  auto parsed = parse_guest_path(path);
  if (!parsed.ok()) return parsed.error().context("'" + path + "'");
  for (const Root& root : roots_) {
    if (root.name != parsed->root) continue;
    if (for_writing && !root.writable) {
      return make_error(ErrorCode::kPermissionDenied, "root '" + root.name + "' (" + root.path +
                                                          ") is read-only (not in writable_paths)");
    }
    return Target{&root, std::move(*parsed)};
  }
  std::string granted;
  for (const Root& root : roots_) granted += (granted.empty() ? "" : ", ") + root.name;
  return make_error(ErrorCode::kPermissionDenied,
                    "'" + path +
                        "' names no granted directory: its first component must be a "
                        "root's name (granted: " +
                        (granted.empty() ? std::string("none") : granted) + ")");
}

template <class T>
Result<T> FilesystemInstance::answered(const handler::ActorHandle& actor, const char* function,
                                       const std::string& path, Result<T> outcome) {
  if (!outcome.ok()) {
    fs_records::record_failure(actor, function, path, outcome.error());
    return for_guest(outcome.error());
  }
  return outcome;
}

Result<Bytes> FilesystemInstance::read_file(const std::string& path) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, this->actor("read-file"));
  auto outcome = [&]() -> Result<Bytes> {
    THEATER_ASSIGN_OR_RETURN(Target target, this->target(path, false));
    return beneath::read_file(target.root->fd.get(), target.path.relative, max_file_size_, path);
  }();
  THEATER_ASSIGN_OR_RETURN(Bytes content, answered(actor, "read-file", path, std::move(outcome)));
  fs_records::record_content(actor, "read-file", path, content);
  return content;
}

Status FilesystemInstance::write_file(const std::string& path, const Bytes& content) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, this->actor("write-file"));
  auto outcome = [&]() -> Result<bool> {
    THEATER_ASSIGN_OR_RETURN(Target target, this->target(path, true));
    if (content.size() > max_file_size_) {
      return make_error(ErrorCode::kResourceExhausted,
                        "'" + path + "': " + std::to_string(content.size()) +
                            " bytes are over max_file_size " + std::to_string(max_file_size_));
    }
    if (target.path.name.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "'" + path + "' is a root directory");
    }
    THEATER_ASSIGN_OR_RETURN(UniqueFd parent,
                             open_parent(target.root->fd.get(), target.path, path));
    THEATER_RETURN_IF_ERROR(
        beneath::write_file_atomically(parent.get(), target.path.name, content, path));
    return true;
  }();
  if (auto answer = answered(actor, "write-file", path, std::move(outcome)); !answer.ok()) {
    return answer.error();
  }
  fs_records::record_content(actor, "write-file", path, content);
  return ok_status();
}

Result<std::vector<std::string>> FilesystemInstance::list_files(const std::string& path) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, this->actor("list-files"));
  auto outcome = [&]() -> Result<std::vector<std::string>> {
    THEATER_ASSIGN_OR_RETURN(Target target, this->target(path, false));
    return beneath::list(target.root->fd.get(), target.path.relative, path);
  }();
  THEATER_ASSIGN_OR_RETURN(std::vector<std::string> names,
                           answered(actor, "list-files", path, std::move(outcome)));
  fs_records::record_listing(actor, path, names);
  return names;
}

Status FilesystemInstance::change_entry(const char* function, const std::string& path, bool remove,
                                        int flags) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, this->actor(function));
  auto outcome = [&]() -> Result<bool> {
    THEATER_ASSIGN_OR_RETURN(Target target, this->target(path, true));
    if (target.path.name.empty()) {
      return make_error(ErrorCode::kPermissionDenied,
                        "'" + path + "' is a granted directory itself; it cannot be changed");
    }
    THEATER_ASSIGN_OR_RETURN(UniqueFd parent,
                             open_parent(target.root->fd.get(), target.path, path));
    // One component below a confined directory: unlinkat removes a symbolic
    // link itself, mkdirat never follows one.
    const char* name = target.path.name.c_str();
    const int result = remove ? ::unlinkat(parent.get(), name, flags)
                              : ::mkdirat(parent.get(), name, kDirectoryMode);
    if (result != 0) {
      return beneath::error_from_errno(errno, std::string("cannot ") + function, path);
    }
    return true;
  }();
  if (auto answer = answered(actor, function, path, std::move(outcome)); !answer.ok()) {
    return answer.error();
  }
  fs_records::record_done(actor, function, path);
  return ok_status();
}

Status FilesystemInstance::delete_file(const std::string& path) {
  return change_entry("delete-file", path, /*remove=*/true, 0);
}

Status FilesystemInstance::create_dir(const std::string& path) {
  return change_entry("create-dir", path, /*remove=*/false, 0);
}

Status FilesystemInstance::delete_dir(const std::string& path) {
  return change_entry("delete-dir", path, /*remove=*/true, AT_REMOVEDIR);
}

Result<bool> FilesystemInstance::path_exists(const std::string& path) {
  THEATER_ASSIGN_OR_RETURN(handler::ActorHandle actor, this->actor("path-exists"));
  auto outcome = [&]() -> Result<bool> {
    THEATER_ASSIGN_OR_RETURN(Target target, this->target(path, false));
    return beneath::exists(target.root->fd.get(), target.path.relative, path);
  }();
  THEATER_ASSIGN_OR_RETURN(bool exists, answered(actor, "path-exists", path, std::move(outcome)));
  fs_records::record_exists(actor, path, exists);
  return exists;
}

}  // namespace theater::handlers
