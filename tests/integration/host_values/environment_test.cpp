// The environment handler on a real actor: only allowed_vars are visible,
// through the WIT and through WASI environ_get (wasi-libc's getenv and
// environ) alike; every value in the chain; narrowing for a child; and WASI
// without the handler.
#include <gmock/gmock.h>

#include <cstdlib>

#include "host_values_fixture.h"

namespace theater::runtime::testing {
namespace {

constexpr const char* kProbe = "host_values_environment_probe";

class EnvironmentTest : public HostValuesTest {
 protected:
  // Before any runtime exists (no thread reads the environment yet).
  static void SetUpTestSuite() {
    ::setenv("THEATER_TEST_VISIBLE", "hello", 1);
    ::setenv("THEATER_TEST_OTHER", "world", 1);
    ::setenv("THEATER_TEST_HIDDEN", "secret", 1);
    ::unsetenv("THEATER_TEST_UNSET");
  }
  Probe probe(const std::string& keys) {
    return spawn_probe(kProbe, "[[handler]]\ntype = \"environment\"\n" + keys);
  }
};

TEST_F(EnvironmentTest, OnlyAllowedVariablesAreVisibleThroughTheWit) {
  Probe actor = probe("allowed_vars = [\"THEATER_TEST_VISIBLE\", \"THEATER_TEST_UNSET\"]\n");
  EXPECT_EQ(actor.request("get THEATER_TEST_VISIBLE"), "some hello");
  EXPECT_EQ(actor.request("get THEATER_TEST_HIDDEN"), "none");
  EXPECT_EQ(actor.request("get THEATER_TEST_UNSET"), "none");
  EXPECT_EQ(actor.request("exists THEATER_TEST_VISIBLE"), "true");
  EXPECT_EQ(actor.request("exists THEATER_TEST_HIDDEN"), "false");
  EXPECT_EQ(actor.request("exists THEATER_TEST_UNSET"), "false");
  EXPECT_EQ(actor.request("list"), "ok THEATER_TEST_VISIBLE=hello;");
}

TEST_F(EnvironmentTest, WasiEnvironShowsTheSameFilteredVariables) {
  Probe actor = probe("allowed_vars = [\"THEATER_TEST_VISIBLE\", \"THEATER_TEST_OTHER\"]\n");
  EXPECT_EQ(actor.request("getenv THEATER_TEST_VISIBLE"), "some hello");
  EXPECT_EQ(actor.request("getenv THEATER_TEST_HIDDEN"), "none");
  EXPECT_EQ(actor.request("getenv PATH"), "none");
  EXPECT_EQ(actor.request("environ"), "ok THEATER_TEST_OTHER=world;THEATER_TEST_VISIBLE=hello;");
  EXPECT_EQ(actor.request("list"), "ok THEATER_TEST_OTHER=world;THEATER_TEST_VISIBLE=hello;");
}

TEST_F(EnvironmentTest, AStarAllowsEveryVariable) {
  Probe actor = probe("allowed_vars = [\"*\"]\n");
  EXPECT_EQ(actor.request("get THEATER_TEST_HIDDEN"), "some secret");
  EXPECT_EQ(actor.request("getenv THEATER_TEST_HIDDEN"), "some secret");
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(actor.request("get PATH"), std::string("some ") + path);
}

TEST_F(EnvironmentTest, WithoutAllowedVarsNothingIsVisible) {
  Probe actor = probe("");
  EXPECT_EQ(actor.request("get THEATER_TEST_VISIBLE"), "none");
  EXPECT_EQ(actor.request("list"), "ok ");
  EXPECT_EQ(actor.request("environ"), "ok ");
}

TEST_F(EnvironmentTest, WithoutTheHandlerWasiShowsNoVariable) {
  Probe actor = spawn_probe("host_values_wasi_probe", "");
  EXPECT_EQ(actor.request("environ"), "ok ");
  EXPECT_EQ(actor.request("getenv PATH"), "none");
}

TEST_F(EnvironmentTest, EveryValueThatReachedTheGuestIsInItsChain) {
  Probe actor = probe("allowed_vars = [\"THEATER_TEST_VISIBLE\"]\n");
  ASSERT_EQ(actor.request("get THEATER_TEST_VISIBLE"), "some hello");
  ASSERT_EQ(actor.request("get THEATER_TEST_HIDDEN"), "none");
  ASSERT_EQ(actor.request("exists THEATER_TEST_VISIBLE"), "true");
  ASSERT_EQ(actor.request("list"), "ok THEATER_TEST_VISIBLE=hello;");
  ASSERT_EQ(actor.request("getenv THEATER_TEST_VISIBLE"), "some hello");

  // What WASI can show (environ_get) is recorded when the actor starts.
  const nlohmann::json vars = nlohmann::json::array({{"THEATER_TEST_VISIBLE", "hello"}});
  EXPECT_EQ(actor.events("theater:simple/environment/visible"),
            std::vector<nlohmann::json>({{{"vars", vars}}}));
  auto gets = actor.events("theater:simple/environment/get-var");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0], (nlohmann::json{{"name", "THEATER_TEST_VISIBLE"}, {"value", "hello"}}));
  EXPECT_EQ(gets[1], (nlohmann::json{{"name", "THEATER_TEST_HIDDEN"}, {"value", nullptr}}));
  EXPECT_EQ(actor.events("theater:simple/environment/exists"),
            std::vector<nlohmann::json>({{{"name", "THEATER_TEST_VISIBLE"}, {"exists", true}}}));
  EXPECT_EQ(actor.events("theater:simple/environment/list-vars"),
            std::vector<nlohmann::json>({{{"vars", vars}}}));
}

TEST_F(EnvironmentTest, AChildSeesNoMoreThanItsParentAllows) {
  auto parent = spawn("name = \"parent\"\ncomponent = \"" + guest(kProbe) +
                      "\"\n[[handler]]\ntype = \"environment\"\n"
                      "allowed_vars = [\"THEATER_TEST_VISIBLE\", \"THEATER_TEST_OTHER\"]\n");
  ASSERT_TRUE(parent.ok()) << parent.error().message;
  TheaterRuntime::SpawnOptions as_child;
  as_child.parent_id = *parent;
  auto wider = manifest("name = \"child\"\ncomponent = \"" + guest(kProbe) +
                            "\"\n[[handler]]\ntype = \"environment\"\n"
                            "allowed_vars = [\"THEATER_TEST_VISIBLE\", \"THEATER_TEST_HIDDEN\"]\n",
                        "child.toml");
  ASSERT_TRUE(wider.ok()) << wider.error().message;
  auto refused = runtime_->spawn(*wider, as_child);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("THEATER_TEST_HIDDEN"));

  auto narrower = manifest("name = \"child\"\ncomponent = \"" + guest(kProbe) +
                               "\"\n[[handler]]\ntype = \"environment\"\n"
                               "allowed_vars = [\"THEATER_TEST_VISIBLE\"]\n",
                           "child.toml");
  ASSERT_TRUE(narrower.ok());
  auto child = runtime_->spawn(*narrower, as_child);
  ASSERT_TRUE(child.ok()) << child.error().message;
  Probe probe_child(*child, *runtime_->handle(*child));
  EXPECT_EQ(probe_child.request("environ"), "ok THEATER_TEST_VISIBLE=hello;");
  EXPECT_EQ(probe_child.request("get THEATER_TEST_OTHER"), "none");
}

}  // namespace
}  // namespace theater::runtime::testing
