// The manifest's process keys, enforced, and bad input, refused clearly.
#include "process_fixture.h"

namespace theater::process_tests {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(ProcessTest, OnlyAllowedProgramsRunAndRefusalsAreRecorded) {
  ASSERT_PROBE(probe, "allowed_programs = [\"/usr/bin/echo\"]\n");
  auto refused = probe.spawn({"program=/bin/cat"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("permission denied"));
  EXPECT_THAT(refused.error().message, HasSubstr("not in allowed_programs [\"/usr/bin/echo\"]"));
  auto denied = probe.events("theater:simple/process/permission-denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].at("program"), "/bin/cat");
  EXPECT_THAT(denied[0].at("reason").get<std::string>(), HasSubstr("allowed_programs"));

  // The allowed program, by a name that resolves to it (PATH lookup, /bin -> /usr/bin).
  auto allowed = probe.spawn({"program=echo", "arg=hi", "out=line"});
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  ASSERT_EQ(probe.wait_exit(*allowed), 0);
  EXPECT_THAT(probe.transcript().out[*allowed], ElementsAre("hi"));
}

TEST_F(ProcessTest, AListedProgramRunsAsTheFileCheckedAndWithAnyProgramAsNamed) {
  const std::string shell = fs::canonical("/bin/sh").string();
  const std::vector<std::string> print_argv0 = {"program=/bin/sh", "arg=-c", "arg=echo $0",
                                                "out=line"};
  ASSERT_PROBE(listed, "allowed_programs = [\"/bin/sh\"]\n");
  ASSERT_PROBE(any);
  auto checked = listed.spawn(print_argv0);
  auto named = any.spawn(print_argv0);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  ASSERT_TRUE(named.ok()) << named.error().message;
  ASSERT_EQ(listed.wait_exit(*checked), 0);
  ASSERT_EQ(any.wait_exit(*named), 0);
  EXPECT_THAT(listed.transcript().out[*checked], ElementsAre(shell));
  EXPECT_THAT(any.transcript().out[*named], ElementsAre("/bin/sh"));
  EXPECT_EQ(listed.events("theater:simple/process/spawn").at(0).at("executable"), shell);
  EXPECT_EQ(any.events("theater:simple/process/spawn").at(0).at("executable"), shell);
}

TEST_F(ProcessTest, WithoutAllowedProgramsNothingRuns) {
  ASSERT_PROBE(probe, "");
  auto refused = probe.spawn({"program=/bin/true"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("not in allowed_programs []"));
}

TEST_F(ProcessTest, ASymlinkNamedLikeAnAllowedProgramCannotWidenTheList) {
  fs::create_directories(home_ / "bin");
  fs::create_symlink("/bin/sh", home_ / "bin" / "echo");           // looks allowed, is a shell
  fs::create_symlink("/usr/bin/echo", home_ / "bin" / "my-echo");  // an allowed program, renamed
  ASSERT_PROBE(probe, "allowed_programs = [\"/usr/bin/echo\"]\n");

  const std::string bin = (home_ / "bin").string();
  auto by_path = probe.spawn({"program=echo", "env=PATH=" + bin, "arg=-c", "arg=echo pwned"});
  ASSERT_FALSE(by_path.ok());
  EXPECT_THAT(by_path.error().message, HasSubstr("resolved to"));
  EXPECT_THAT(by_path.error().message, HasSubstr("not in allowed_programs"));
  auto direct = probe.spawn({"program=" + bin + "/echo", "arg=-c", "arg=echo pwned"});
  ASSERT_FALSE(direct.ok());
  EXPECT_THAT(direct.error().message, HasSubstr("not in allowed_programs"));

  auto renamed = probe.spawn({"program=" + bin + "/my-echo", "arg=fine", "out=line"});
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  ASSERT_EQ(probe.wait_exit(*renamed), 0);
  EXPECT_THAT(probe.transcript().out[*renamed], ElementsAre("fine"));
  for (const auto& line : probe.transcript().out) EXPECT_NE(line.second.front(), "pwned");
}

TEST_F(ProcessTest, AWorkingDirectoryOutsideAllowedPathsIsRefused) {
  fs::create_directories(home_ / "work" / "sub");
  fs::create_symlink("/tmp", home_ / "work" / "escape");
  // cwd (relative to the manifest's folder) is the default working directory.
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nallowed_paths = [\"work\"]\ncwd = \"work\"\n");
  const std::string work = (home_ / "work").string();

  for (const std::string& outside :
       {std::string("/tmp"), work + "/..", work + "/escape", std::string("../")}) {
    auto refused = probe.spawn({"program=/bin/pwd", "cwd=" + outside});
    ASSERT_FALSE(refused.ok()) << outside;
    EXPECT_THAT(refused.error().message, HasSubstr("is not inside allowed_paths")) << outside;
  }
  auto missing = probe.spawn({"program=/bin/pwd", "cwd=sub/missing"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("is not a directory"));

  auto inside = probe.spawn({"program=/bin/pwd", "cwd=sub", "out=line"});  // relative to work
  auto by_default = probe.spawn({"program=/bin/pwd", "out=line"});
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  ASSERT_TRUE(by_default.ok()) << by_default.error().message;
  ASSERT_EQ(probe.wait_exit(*inside), 0);
  ASSERT_EQ(probe.wait_exit(*by_default), 0);
  EXPECT_THAT(probe.transcript().out[*inside], ElementsAre(work + "/sub"));
  EXPECT_THAT(probe.transcript().out[*by_default], ElementsAre(work));
}

TEST_F(ProcessTest, MaxProcessesBoundsTheProcessesRunningAtOnce) {
  ASSERT_PROBE(probe, "allowed_programs = [\"*\"]\nmax_processes = 2\n");
  auto first = probe.spawn({"program=/bin/sleep", "arg=1000"});
  auto second = probe.spawn({"program=/bin/sleep", "arg=1000"});
  ASSERT_TRUE(first.ok() && second.ok());
  auto third = probe.spawn({"program=/bin/sleep", "arg=1000"});
  ASSERT_FALSE(third.ok());
  EXPECT_THAT(third.error().message, HasSubstr("max_processes is 2"));
  EXPECT_EQ(probe.events("theater:simple/process/permission-denied").size(), 1u);

  EXPECT_EQ(probe.request({"kill", std::to_string(*first)}), "ok");
  ASSERT_EQ(probe.wait_exit(*first), -9);
  auto again = probe.spawn({"program=/bin/sleep", "arg=1000"});
  EXPECT_TRUE(again.ok()) << again.error().message;
}

TEST_F(ProcessTest, BadInputIsAClearError) {
  ASSERT_PROBE(probe);
  const std::string nul(1, '\0');
  struct Case {
    std::vector<std::string> fields;
    std::string expected;
  };
  const std::vector<Case> bad_spawns = {
      {{"program=/bin/true", "out=chunked"}, "chunked mode needs a chunk-size"},
      {{"program=/bin/true", "err=chunked", "chunk=0"}, "chunk-size is 0"},
      {{"program=/bin/true", "buf=17000000"}, "buffer-size 17000000 exceeds the maximum"},
      {{"program=/bin/true", "out=chunked", "chunk=4294967295"}, "chunk-size 4294967295 exceeds"},
      {{"program="}, "the program is empty"},
      {{"program=/bin/true" + nul + "x"}, "NUL"},
      {{"program=/bin/true", "arg=a" + nul + "b"}, "args[0] contains a NUL byte"},
      {{"program=/bin/true", "env=A=x" + nul}, "the value contains a NUL byte"},
      {{"program=/bin/true", "timeout=0"}, "execution-timeout is 0"},
      {{"program=/no/such/program"}, "is not an executable file"},
      {{"program=no-such-program-anywhere"}, "was not found in PATH"},
  };
  for (const Case& c : bad_spawns) {
    auto spawned = probe.spawn(c.fields);
    ASSERT_FALSE(spawned.ok()) << c.expected;
    EXPECT_THAT(spawned.error().message, HasSubstr(c.expected));
  }
  EXPECT_EQ(probe.events("theater:simple/process/spawn-error").size(), bad_spawns.size());

  for (const char* command : {"close", "status", "kill"}) {
    EXPECT_THAT(probe.request({command, "42"}), HasSubstr("no process 42")) << command;
  }
  const std::string write =
      "write\x1f"
      "42\x1f"
      "data";
  EXPECT_THAT(probe.request_raw(Bytes(write.begin(), write.end())), HasSubstr("no process 42"));
  EXPECT_THAT(probe.request({"signal", "42", "15"}), HasSubstr("no process 42"));

  auto sleeper = probe.spawn({"program=/bin/sleep", "arg=1000"});
  ASSERT_TRUE(sleeper.ok());
  EXPECT_EQ(*sleeper, 1u);  // failed spawns used no id
  EXPECT_THAT(probe.request({"signal", "1", "0"}),
              HasSubstr("signal 0 is not a Linux signal number"));
  EXPECT_THAT(probe.request({"signal", "1", "4294967295"}),
              HasSubstr("signal 4294967295 is not a Linux signal number"));
  EXPECT_EQ(probe.request({"kill", "1"}), "ok");
  EXPECT_EQ(probe.wait_exit(1), -9);
}

}  // namespace
}  // namespace theater::process_tests
