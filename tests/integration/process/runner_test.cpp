// The bundled example (examples/process-runner) as a user runs it: its
// command starts inside init, its output reaches the log line by line, and it
// stops with the command's exit code.
#include "process_fixture.h"

namespace theater::process_tests {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RunnerTest : public ProcessTest {
 protected:
  Result<std::string> run(const std::string& init_state, const std::string& allowed) {
    const std::filesystem::path file = home_ / "runner.toml";
    std::ofstream(file) << "name = \"process-runner\"\ncomponent = \"" << THEATER_WASM_DIR
                        << "/process_runner.wasm\"\n[[handler]]\ntype = \"process\"\n"
                        << "allowed_programs = " << allowed << "\n";
    THEATER_ASSIGN_OR_RETURN(config::Manifest manifest, config::parse_manifest_file(file));
    runtime::TheaterRuntime::SpawnOptions options;
    options.init_state_json = init_state;
    return runtime_->spawn(manifest, options);
  }
};

TEST_F(RunnerTest, OutputOfACommandStartedInInitReachesTheLogAndTheExitCodeEndsTheActor) {
  auto id =
      run(R"({"program": "/bin/sh", "args": ["-c", "echo one; echo two; echo oops >&2; exit 3"]})",
          R"(["/bin/sh"])");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto exit = observer_.wait_exit(*id);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->kind, runtime::ActorExit::Kind::kShutdown);
  ASSERT_TRUE(exit->data.has_value());
  EXPECT_EQ(std::string(exit->data->begin(), exit->data->end()), "3");
  std::vector<std::string> logs = observer_.logs(*id);
  ASSERT_FALSE(logs.empty());
  EXPECT_THAT(logs.front(), HasSubstr("running /bin/sh as process 1"));
  EXPECT_THAT(std::vector<std::string>(logs.begin() + 1, logs.end()),
              ::testing::UnorderedElementsAre("one", "two", "stderr: oops"));
}

TEST_F(RunnerTest, ArgumentsKeepTheirTextEscapedOrNot) {
  // The runtime hands init_state over as JSON text: UTF-8 as is, control
  // characters as \u escapes, which the example decodes.
  auto id = run(R"({"program": "/bin/sh", "args": ["-c", "echo \"$0|$1\"", "été 😀", "a\u0007b"]})",
                R"(["/bin/sh"])");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto exit = observer_.wait_exit(*id);
  ASSERT_TRUE(exit.has_value());
  ASSERT_TRUE(exit->data.has_value());
  EXPECT_EQ(std::string(exit->data->begin(), exit->data->end()), "0");
  std::vector<std::string> logs = observer_.logs(*id);
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[1], "été 😀|a\ab");
}

TEST_F(RunnerTest, ACommandTheManifestDoesNotAllowFailsTheSpawn) {
  auto id = run(R"({"program": "/bin/cat", "args": ["/etc/hostname"]})", R"(["/bin/sh"])");
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.error().message, HasSubstr("not in allowed_programs"));
}

}  // namespace
}  // namespace theater::process_tests
