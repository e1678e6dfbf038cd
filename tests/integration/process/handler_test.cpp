// The handler itself, outside a runtime: what the runtime never lets happen
// (a host call before start(), or after stop()) is a clear error, not a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/effective_permissions.h"
#include "config/manifest.h"
#include "handlers/process/process_handler.h"
#include "proc_support.h"

namespace theater::process_tests {
namespace {

using handlers::ProcessHandler;
using handlers::ProcessInstance;
using ::testing::HasSubstr;

struct Grant {
  config::Manifest manifest;
  config::EffectivePermissions permissions;
};

Grant setup_for(const std::string& process_keys) {
  auto manifest = config::parse_manifest_string(
      "name = \"handler-test\"\ncomponent = \"" + std::string(THEATER_WASM_DIR) +
          "/process_probe_actor.wasm\"\n[[handler]]\ntype = \"process\"\n" + process_keys,
      "/tmp");
  EXPECT_TRUE(manifest.ok()) << manifest.error().message;
  auto permissions =
      config::EffectivePermissions::for_child(config::EffectivePermissions::root(), *manifest);
  EXPECT_TRUE(permissions.ok()) << permissions.error().message;
  return Grant{*manifest, *permissions};
}

handlers::process_wit::ProcessConfig sleep_config() {
  handlers::process_wit::ProcessConfig config;
  config.program = "/bin/sleep";
  config.args = {"1000"};
  return config;
}

TEST(ProcessHandlerTest, DeclaresItsInterfaces) {
  ProcessHandler handler;
  EXPECT_EQ(handler.type(), "process");
  EXPECT_EQ(handler.imports(), std::vector<std::string>{"theater:simple/process"});
  EXPECT_EQ(handler.exports(), std::vector<std::string>{"theater:simple/process-handlers"});
}

TEST(ProcessHandlerTest, HostCallsBeforeStartAndAfterStopAreClearErrors) {
  ProcessHandler handler;
  Grant setup = setup_for("allowed_programs = [\"*\"]\n");
  auto created = handler.create_instance({"actor-1", &setup.manifest, &setup.permissions});
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto& instance = dynamic_cast<ProcessInstance&>(**created);

  auto early = instance.spawn(sleep_config(), {});
  ASSERT_FALSE(early.ok());
  EXPECT_THAT(early.error().message, HasSubstr("os-spawn: the process handler has not started"));
  EXPECT_THAT(instance.kill(1).error().message,
              HasSubstr("os-kill: the process handler has not started"));

  // Started with a handle whose actor is gone: processes run, records and
  // callbacks fail cleanly.
  ASSERT_TRUE(instance.start(handler::ActorHandle(), {}).ok());
  EXPECT_FALSE(instance.start(handler::ActorHandle(), {}).ok());  // only once
  auto id = instance.spawn(sleep_config(), {});
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, 1u);
  auto status = instance.status(*id);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->running);

  instance.stop(std::chrono::milliseconds(500));
  auto late = instance.status(*id);
  ASSERT_FALSE(late.ok());
  EXPECT_THAT(late.error().message, HasSubstr("os-status: the process handler has stopped"));
  EXPECT_TRUE(wait_until([] { return zombie_children_of(getpid()).empty(); }));
}

TEST(ProcessHandlerTest, EachInstanceHasItsOwnIds) {
  ProcessHandler handler;
  Grant setup = setup_for("allowed_programs = [\"*\"]\n");
  auto a = handler.create_instance({"a", &setup.manifest, &setup.permissions});
  auto b = handler.create_instance({"b", &setup.manifest, &setup.permissions});
  ASSERT_TRUE(a.ok() && b.ok());
  auto& first = dynamic_cast<ProcessInstance&>(**a);
  auto& second = dynamic_cast<ProcessInstance&>(**b);
  ASSERT_TRUE(first.start(handler::ActorHandle(), {}).ok());
  ASSERT_TRUE(second.start(handler::ActorHandle(), {}).ok());
  EXPECT_EQ(*first.spawn(sleep_config(), {}), 1u);
  EXPECT_EQ(*first.spawn(sleep_config(), {}), 2u);
  EXPECT_EQ(*second.spawn(sleep_config(), {}), 1u);
  EXPECT_THAT(second.kill(2).error().message, HasSubstr("no process 2"));
  // Destroying the instances (without stop) still ends their processes.
}

TEST(ProcessHandlerTest, MaxProcessesZeroRefusesEverySpawn) {
  ProcessHandler handler;
  Grant setup = setup_for("allowed_programs = [\"*\"]\nmax_processes = 0\n");
  auto created = handler.create_instance({"actor-1", &setup.manifest, &setup.permissions});
  ASSERT_TRUE(created.ok());
  auto& instance = dynamic_cast<ProcessInstance&>(**created);
  ASSERT_TRUE(instance.start(handler::ActorHandle(), {}).ok());
  auto refused = instance.spawn(sleep_config(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("max_processes is 0"));
}

}  // namespace
}  // namespace theater::process_tests
