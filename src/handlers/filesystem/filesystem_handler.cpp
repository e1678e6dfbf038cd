#include "handlers/filesystem/filesystem_handler.h"

#include "abi/engine_binding.h"
#include "handler_api/host_answer.h"
#include "handlers/filesystem/filesystem_instance.h"

namespace theater::handlers {
namespace {

using Bytes = std::vector<std::uint8_t>;
using handler::Answer;
using Names = std::vector<std::string>;

template <class Method, class... Args>
auto on_instance(wasm::HostCall& call, Method method, Args&&... args) {
  return handler::answer_on_instance<FilesystemInstance>(call, filesystem_schema().type, method,
                                                         std::forward<Args>(args)...);
}

Answer<Bytes> read_file(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::read_file, path);
}
Answer<abi::Unit> write_file(wasm::HostCall& call, std::string path, Bytes content) {
  return on_instance(call, &FilesystemInstance::write_file, path, content);
}
Answer<Names> list_files(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::list_files, path);
}
Answer<abi::Unit> delete_file(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::delete_file, path);
}
Answer<abi::Unit> create_dir(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::create_dir, path);
}
Answer<abi::Unit> delete_dir(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::delete_dir, path);
}
Answer<bool> path_exists(wasm::HostCall& call, std::string path) {
  return on_instance(call, &FilesystemInstance::path_exists, path);
}

}  // namespace

Status FilesystemHandler::add_host_functions(wasm::HostImports& imports) const {
  using abi::host_function;
  using PathCall = Answer<abi::Unit>(std::string);
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<Bytes>(std::string)>(kInterface, "read-file", read_file)));
  THEATER_RETURN_IF_ERROR(imports.add(
      host_function<Answer<abi::Unit>(std::string, Bytes)>(kInterface, "write-file", write_file)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<Answer<Names>(std::string)>(kInterface, "list-files", list_files)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<PathCall>(kInterface, "delete-file", delete_file)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<PathCall>(kInterface, "create-dir", create_dir)));
  THEATER_RETURN_IF_ERROR(
      imports.add(host_function<PathCall>(kInterface, "delete-dir", delete_dir)));
  return imports.add(
      host_function<Answer<bool>(std::string)>(kInterface, "path-exists", path_exists));
}

Result<std::unique_ptr<handler::HandlerInstance>> FilesystemHandler::create_instance(
    const handler::InstanceSetup& setup) const {
  if (setup.permissions == nullptr) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the filesystem handler needs the actor's permissions");
  }
  THEATER_ASSIGN_OR_RETURN(std::optional<config::HandlerGrant> grant,
                           setup.permissions->grant(schema()));
  if (!grant) {
    return make_error(ErrorCode::kPermissionDenied,
                      "actor " + setup.actor_id + " is not granted the filesystem handler");
  }
  THEATER_ASSIGN_OR_RETURN(FilesystemPermissions permissions, FilesystemPermissions::from(*grant));
  THEATER_ASSIGN_OR_RETURN(std::unique_ptr<FilesystemInstance> instance,
                           FilesystemInstance::open(permissions));
  return std::unique_ptr<handler::HandlerInstance>(std::move(instance));
}

}  // namespace theater::handlers
