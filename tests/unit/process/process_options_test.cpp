// Validation of what a guest may ask for, and program resolution.
#include "handlers/process/os/process_options.h"

#include <gtest/gtest.h>

namespace theater::process {
namespace {

using namespace std::chrono_literals;

ProcessConfig config_for(std::string program) {
  ProcessConfig config;
  config.spawn.program = std::move(program);
  return config;
}

void expect_invalid(const Status& status, const std::string& fragment) {
  ASSERT_FALSE(status.ok()) << "expected an error mentioning: " << fragment;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find(fragment), std::string::npos) << status.error().message;
}

TEST(SpawnValidation, AcceptsAPlainProgram) {
  EXPECT_TRUE(validate_config(config_for("/bin/true"), TableLimits{}).ok());
}

TEST(SpawnValidation, RejectsAnEmptyProgram) {
  expect_invalid(validate_spawn_options(SpawnOptions{}), "program is empty");
}

TEST(SpawnValidation, RejectsNulBytes) {
  using namespace std::string_literals;
  SpawnOptions options;
  options.program = "/bin/true\0x"s;
  expect_invalid(validate_spawn_options(options), "program name contains a NUL");

  options.program = "/bin/echo";
  options.args = {"fine", "bad\0arg"s};
  expect_invalid(validate_spawn_options(options), "args[1] contains a NUL");

  options.args = {};
  options.env = {{"NAME\0"s, "v"}};
  expect_invalid(validate_spawn_options(options), "env[0]: the name contains a NUL");

  options.env = {{"NAME", "va\0lue"s}};
  expect_invalid(validate_spawn_options(options), "env[0] (NAME): the value contains a NUL");

  options.env = {};
  options.cwd = "/tmp\0"s;
  expect_invalid(validate_spawn_options(options), "working directory contains a NUL");
}

TEST(SpawnValidation, RejectsBadEnvironmentNames) {
  SpawnOptions options;
  options.program = "/usr/bin/env";
  options.env = {{"A", "1"}, {"B=C", "2"}};
  expect_invalid(validate_spawn_options(options), "env[1]: the name 'B=C' contains '='");
  options.env = {{"", "1"}};
  expect_invalid(validate_spawn_options(options), "env[0]: the variable name is empty");
  options.env = {{"A", "1"}, {"A", "2"}};
  expect_invalid(validate_spawn_options(options), "'A' is set twice");
}

TEST(SpawnValidation, RejectsAnEmptyWorkingDirectory) {
  SpawnOptions options;
  options.program = "/bin/true";
  options.cwd = "";
  expect_invalid(validate_spawn_options(options), "working directory is an empty string");
}

TEST(SpawnValidation, NamesTheStreamWithABadFraming) {
  ProcessConfig config = config_for("/bin/true");
  config.stderr_framing.mode = OutputMode::kChunked;
  expect_invalid(validate_config(config, TableLimits{}), "stderr: chunked mode needs a chunk-size");
}

TEST(SpawnValidation, PiecesMustFitTheOutputBudget) {
  ProcessConfig config = config_for("/bin/true");
  config.stdout_framing = FramingOptions{OutputMode::kLineByLine, 8192, std::nullopt};
  TableLimits limits;
  limits.max_output_buffer = 16384;  // 8192 per stream: a full line would fill it
  expect_invalid(validate_config(config, limits), "needs a max_output_buffer of at least 16386");
  limits.max_output_buffer = 16386;
  EXPECT_TRUE(validate_config(config, limits).ok());
}

TEST(SpawnValidation, RejectsAbsurdTimeouts) {
  ProcessConfig config = config_for("/bin/true");
  config.execution_timeout = 0ms;
  expect_invalid(validate_config(config, TableLimits{}), "execution-timeout is 0");
  auto zero = timeout_from_seconds(0);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("0 seconds"), std::string::npos);
  auto huge = timeout_from_seconds(~0ULL);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("18446744073709551615"), std::string::npos);
  ASSERT_TRUE(timeout_from_seconds(30).ok());
  EXPECT_EQ(*timeout_from_seconds(30), 30000ms);
}

TEST(LimitsValidation, RejectsZeroes) {
  TableLimits limits;
  limits.max_processes = 0;
  expect_invalid(validate_limits(limits), "max_processes is 0");
  limits = TableLimits{};
  limits.max_output_buffer = 1;
  expect_invalid(validate_limits(limits), "max_output_buffer 1");
}

TEST(ProgramResolution, AbsolutePathIsUsedAsIs) {
  EXPECT_EQ(program_candidates("/bin/cat", {{"PATH", "/nowhere"}}),
            (std::vector<std::string>{"/bin/cat"}));
  EXPECT_EQ(program_candidates("./tool", {}), (std::vector<std::string>{"./tool"}));
}

TEST(ProgramResolution, UsesThePathOfTheChildsEnvironment) {
  EXPECT_EQ(program_candidates("cat", {{"HOME", "/x"}, {"PATH", "/opt/bin:/usr/bin/"}}),
            (std::vector<std::string>{"/opt/bin/cat", "/usr/bin/cat"}));
}

TEST(ProgramResolution, DefaultPathWhenTheEnvironmentHasNone) {
  EXPECT_EQ(program_candidates("cat", {}),
            (std::vector<std::string>{"/usr/local/bin/cat", "/usr/bin/cat", "/bin/cat"}));
}

TEST(ProgramResolution, EmptyPathEntriesDoNotMeanTheCurrentDirectory) {
  EXPECT_EQ(program_candidates("cat", {{"PATH", ":/bin::"}}),
            (std::vector<std::string>{"/bin/cat"}));
}

}  // namespace
}  // namespace theater::process
