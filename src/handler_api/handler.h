// The Handler interface (DESIGN.md, "The seed's lesson"). A Handler is
// registered once, when the runtime is built; it describes its manifest
// entry (schema) and the interfaces it provides, and defines its host
// functions once for every actor. For each actor
// whose module uses one of its interfaces and whose manifest grants it, the
// registry asks it for a fresh HandlerInstance: nothing mutable is shared
// between actors. The instance receives the actor's handle in start(), which
// the runtime calls before the actor's init.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/effective_permissions.h"
#include "config/handler_config.h"
#include "config/handler_schema.h"
#include "config/manifest.h"
#include "handler_api/actor_handle.h"
#include "handler_api/runtime_service.h"
#include "handler_api/wasi_contribution.h"
#include "wasm/host_imports.h"

namespace theater::handler {

class Supervision;  // handler_api/supervision.h

// What a handler instance is created with. Both pointers stay valid for the
// actor's whole life.
struct InstanceSetup {
  std::string actor_id;
  // The actor's manifest: a handler reads its own entry with
  // config::read_handler_config(*manifest, schema()) (its settings).
  const config::Manifest* manifest = nullptr;
  // What the actor may do: its [[handler]] keys narrowed by its parent's
  // permissions and its permission_policy. A handler asks for its own grant
  // with permissions->grant(schema()) and checks calls against it.
  const config::EffectivePermissions* permissions = nullptr;
  // The runtime's side of supervising children (handler_api/supervision.h);
  // null when the runtime offers none (tests of a handler alone).
  Supervision* supervision = nullptr;
};

class HandlerInstance {
 public:
  virtual ~HandlerInstance() = default;
  // Called once, before init. The handle stays valid (calls fail cleanly once
  // the actor is gone); `shutdown` fires when the actor begins to stop.
  virtual Status start(ActorHandle actor, std::stop_token shutdown) = 0;
  // Ordered shutdown: stop working, release every resource, return within
  // `grace`. After it returns the instance makes no call into the actor.
  virtual void stop(std::chrono::milliseconds grace) = 0;
  // What this instance adds to the actor's WASI view (handler_api/
  // wasi_contribution.h), or null; asked once, before the module is
  // instantiated. The pointer stays valid for the instance's life.
  virtual WasiContribution* wasi_contribution() { return nullptr; }
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Its manifest entry: type name, permission keys (with how a child's grant
  // narrows against its parent's), setting keys. The handler owns it; config/
  // parses and checks manifests driven by it.
  virtual const config::HandlerSchema& schema() const = 0;
  // The manifest's [[handler]] type, e.g. "process": the schema's.
  const std::string& type() const { return schema().type; }
  // Granted to every actor without a [[handler]] entry (the runtime handler).
  bool always_granted() const { return schema().always_granted; }
  // Interfaces it provides to guests (import module names), e.g.
  // "theater:simple/process", and interfaces whose exports it calls, e.g.
  // "theater:simple/process-handlers".
  virtual std::vector<std::string> imports() const = 0;
  virtual std::vector<std::string> exports() const { return {}; }
  // Defines its host functions, once per runtime. Callbacks find the calling
  // actor's instance with instance_of<T>(call, type()).
  virtual Status add_host_functions(wasm::HostImports& imports) const = 0;
  virtual Result<std::unique_ptr<HandlerInstance>> create_instance(
      const InstanceSetup& setup) const = 0;
  // The runtime-facing service it offers under `name` (handler_api/
  // runtime_service.h), or null. Valid for the handler's life.
  virtual RuntimeService* runtime_service(std::string_view name) const { return nullptr; }
};

// What a host call's user_data points to: the calling actor's services.
class ActorServices {
 public:
  virtual ~ActorServices() = default;
  // The actor's instance of handler `type`, or null when not granted.
  virtual HandlerInstance* handler_instance(std::string_view type) = 0;
};

// The calling actor's instance of a handler, or an error naming why not.
template <class T>
Result<T*> instance_of(wasm::HostCall& call, std::string_view type);

}  // namespace theater::handler

#include "handler_api/handler_inl.h"
