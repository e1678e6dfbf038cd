// The independent Python verifier (tools/verify_chain.py) and the C++ code
// must agree: on a chain exported by the C++ code, and on a tampered copy.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "chain/audit.h"
#include "chain/chain.h"
#include "chain/jsonl.h"
#include "chain/verify.h"
#include "test_support.h"

namespace theater::chain {
namespace {

using testing::sample_data;
using testing::TempDir;

struct RunResult {
  int exit_code = -1;
  std::string output;
};

RunResult run_python_verifier(const std::filesystem::path& jsonl, const std::string& options = "") {
  const std::string command = std::string(THEATER_PYTHON3) + " " + THEATER_SOURCE_DIR +
                              "/tools/verify_chain.py " + options + " '" + jsonl.string() +
                              "' 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe)) result.output += buffer;
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& line : lines) out << line << '\n';
}

std::vector<Event> exported_chain(const std::filesystem::path& path) {
  EventChain chain("actor-1");
  EXPECT_TRUE(chain.append("runtime/init", sample_data(0), "start \"quoted\" \xc3\xa9").ok());
  for (int i = 1; i < 20; ++i) EXPECT_TRUE(chain.append("wasm/call", sample_data(i)).ok());
  EXPECT_TRUE(chain.append("wasm/result", {}).ok());
  EXPECT_TRUE(write_jsonl_file(path, *chain.snapshot()).ok());
  return *chain.snapshot();
}

TEST(PythonVerifier, AcceptsAChainExportedByTheCppCode) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  exported_chain(path);
  const RunResult run = run_python_verifier(path);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "ok 21 events\n");
}

TEST(PythonVerifier, NamesTheSameFirstBadEventAsTheCppVerifier) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  exported_chain(path);
  // Change event 7's timestamp by one millisecond, nothing else.
  auto lines = read_lines(path);
  const std::string key = "\"timestamp\":";
  const size_t at = lines[7].find(key) + key.size();
  const size_t end = lines[7].find(',', at);
  const uint64_t timestamp = std::stoull(lines[7].substr(at, end - at));
  lines[7].replace(at, end - at, std::to_string(timestamp + 1));
  write_lines(path, lines);

  const RunResult run = run_python_verifier(path);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("event 7 (line 8"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("hash mismatch"), std::string::npos) << run.output;

  auto events = read_jsonl_file(path);
  ASSERT_TRUE(events.ok()) << events.error().message;
  const auto fault = find_first_fault(*events);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->index, 7u);
  EXPECT_EQ(fault->kind, FaultKind::kHashMismatch);
}

TEST(PythonVerifier, DetectsAMissingEvent) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  exported_chain(path);
  auto lines = read_lines(path);
  lines.erase(lines.begin() + 3);
  write_lines(path, lines);
  const RunResult run = run_python_verifier(path);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("event 3 (line 4"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("broken link"), std::string::npos) << run.output;
}

// The runtime's conventions (chain/audit.h), checked by both sides alike.
std::vector<Event> runtime_chain(const std::filesystem::path& path, bool stopped) {
  EventChain chain("actor-1");
  testing::append_runtime_chain(chain, 5, stopped);
  EXPECT_TRUE(write_jsonl_file(path, *chain.snapshot()).ok());
  return *chain.snapshot();
}

ChainReport cpp_audit(std::span<const Event> events, std::optional<std::string> stored_under) {
  ChainAudit audit(std::move(stored_under));
  for (const Event& event : events) audit.add(event);
  return audit.finish();
}

TEST(PythonVerifier, AgreesThatAWholeStoppedChainBindsItsActor) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  const auto events = runtime_chain(path, /*stopped=*/true);
  const RunResult run = run_python_verifier(path, "--actor actor-1 --require-stop");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "ok 7 events\n");
  EXPECT_EQ(cpp_audit(events, "actor-1").verdict, Verdict::kOk);
}

TEST(PythonVerifier, AgreesThatAChainUnderAnotherIdIsAMismatchNamingBoth) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  const auto events = runtime_chain(path, /*stopped=*/true);
  const RunResult run = run_python_verifier(path, "--actor actor-2");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("mismatch: the chain of actor actor-2 is actor actor-1's"),
            std::string::npos)
      << run.output;
  const ChainReport report = cpp_audit(events, "actor-2");
  EXPECT_EQ(report.verdict, Verdict::kMismatch);
  EXPECT_NE(report.detail.find("actor actor-2 is actor actor-1's"), std::string::npos)
      << report.detail;
}

TEST(PythonVerifier, AgreesThatAChainWithoutItsStopEventIsIncomplete) {
  TempDir dir;
  const auto path = dir.file("chain.jsonl");
  const auto events = runtime_chain(path, /*stopped=*/false);
  const RunResult run = run_python_verifier(path, "--require-stop");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("incomplete: 6 events verify"), std::string::npos) << run.output;
  EXPECT_EQ(cpp_audit(events, std::nullopt).verdict, Verdict::kIncomplete);
  // Without the option, the hashes and links alone are checked, as before.
  EXPECT_EQ(run_python_verifier(path).exit_code, 0);
}

}  // namespace
}  // namespace theater::chain
