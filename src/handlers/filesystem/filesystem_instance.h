// FilesystemInstance: one actor's share of the filesystem handler: its
// granted directories, each opened once (O_PATH) when the instance is made
// and held for the actor's life, and its max_file_size. The host functions
// call the methods below; each records its event in the actor's chain and
// answers with the text the actor sees in result<_, string>.
//
// The calls block on file I/O on the actor's own thread (bounded by
// max_file_size); they never wait on anything else.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "handler_api/handler.h"
#include "handlers/filesystem/filesystem_config.h"
#include "handlers/filesystem/guest_path.h"

namespace theater::handlers {

class FilesystemInstance final : public handler::HandlerInstance {
 public:
  // Opens every root; fails naming the one that cannot be opened (or a
  // kernel without openat2).
  static Result<std::unique_ptr<FilesystemInstance>> open(const FilesystemPermissions& grant);

  Status start(handler::ActorHandle actor, std::stop_token shutdown) override;
  void stop(std::chrono::milliseconds grace) override;

  Result<std::vector<std::uint8_t>> read_file(const std::string& path);
  Status write_file(const std::string& path, const std::vector<std::uint8_t>& content);
  Result<std::vector<std::string>> list_files(const std::string& path);
  Status delete_file(const std::string& path);
  Status create_dir(const std::string& path);
  Status delete_dir(const std::string& path);
  Result<bool> path_exists(const std::string& path);

 private:
  struct Root {
    std::string name;  // how guests name it: its last path component
    std::string path;  // canonical, for messages
    bool writable = false;
    UniqueFd fd;
  };
  // A guest path resolved to its root.
  struct Target {
    const Root* root = nullptr;
    GuestPath path;
  };

  FilesystemInstance(std::vector<Root> roots, std::uint64_t max_file_size);

  Result<handler::ActorHandle> actor(const char* function) const;
  Result<Target> target(const std::string& path, bool for_writing) const;
  // unlinkat / mkdirat on the entry's parent directory (confined by openat2).
  Status change_entry(const char* function, const std::string& path, bool remove, int flags);
  // Records what the guest gets and hands it back.
  template <class T>
  Result<T> answered(const handler::ActorHandle& actor, const char* function,
                     const std::string& path, Result<T> outcome);

  const std::vector<Root> roots_;
  const std::uint64_t max_file_size_;

  mutable std::mutex mutex_;
  handler::ActorHandle actor_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace theater::handlers
