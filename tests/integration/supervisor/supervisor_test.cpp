// The supervisor handler's calls and the notices a parent hears, on real
// actors built from C with the SDK.
#include "supervisor_fixture.h"

namespace theater::runtime::testing {
namespace {

TEST_F(SupervisorTest, SpawnsFromAPathAnInlineManifestAndInitBytes) {
  write_worker();
  auto sup = start_supervisor("");
  ASSERT_TRUE(sup.ok()) << sup.error().message;

  const std::string from_path = answered_id(send(*sup, "spawn:worker.toml"));
  ASSERT_FALSE(from_path.empty()) << state_text(*sup);
  EXPECT_EQ(state_text(from_path), "none");

  const std::string inline_toml =
      "name = \"inline\"\ncomponent = \"" + guest("supervisor_worker_actor") + "\"\n";
  const std::string from_toml = answered_id(send(*sup, "spawn:" + inline_toml));
  ASSERT_FALSE(from_toml.empty()) << state_text(*sup);

  const std::string with_bytes = answered_id(send(*sup, "spawn-init:abc|worker.toml"));
  ASSERT_FALSE(with_bytes.empty()) << state_text(*sup);
  EXPECT_EQ(state_text(with_bytes), "abc");  // as they are, not JSON

  const std::string resumed = answered_id(send(*sup, "resume:saved|worker.toml"));
  ASSERT_FALSE(resumed.empty());
  EXPECT_EQ(state_text(resumed), "saved");

  EXPECT_EQ(send(*sup, "list"), "ok:4");
  for (const std::string& child : {from_path, from_toml, with_bytes, resumed}) {
    auto summary = runtime_->status(child);
    ASSERT_TRUE(summary.ok());
  }
  EXPECT_EQ(children_of(*sup).size(), 4u);
}

TEST_F(SupervisorTest, RefusesBadStoreReferencesAndMissingManifestsClearly) {
  auto sup = start_supervisor("");
  ASSERT_TRUE(sup.ok()) << sup.error().message;
  const std::string bad_reference = send(*sup, "spawn:store://abc");
  EXPECT_EQ(bad_reference.rfind("err:", 0), 0u) << bad_reference;
  EXPECT_NE(bad_reference.find("\"store://abc\""), std::string::npos) << bad_reference;
  const std::string missing = send(*sup, "spawn:nowhere.toml");
  EXPECT_EQ(missing.rfind("err:", 0), 0u) << missing;
  EXPECT_NE(missing.find("nowhere.toml"), std::string::npos) << missing;
  EXPECT_EQ(events_of(*sup, "theater:simple/supervisor/spawn-error").size(), 2u);
}

TEST_F(SupervisorTest, EveryCallRefusesAnIdThatIsNotTheCallersChild) {
  write_worker();
  auto sup = start_supervisor("");
  auto other = start_supervisor("");
  ASSERT_TRUE(sup.ok() && other.ok());
  // The other supervisor's child, and the caller itself, are not its children.
  const std::string stranger = answered_id(send(*other, "spawn:worker.toml"));
  ASSERT_FALSE(stranger.empty());
  for (const std::string& id : {stranger, *sup, std::string("not-an-id")}) {
    for (const char* call : {"stop:", "restart:", "state:", "events:"}) {
      const std::string answer = send(*sup, call + id);
      EXPECT_EQ(answer.rfind("err:", 0), 0u) << call << id << " -> " << answer;
      EXPECT_NE(answer.find("is not a child of this actor"), std::string::npos) << answer;
    }
  }
  EXPECT_EQ(events_of(*sup, "theater:simple/supervisor/not-a-child").size(), 12u);
  EXPECT_TRUE(running(stranger));  // untouched
}

TEST_F(SupervisorTest, GetChildStateAndEventsSeeTheChild) {
  write_worker();
  auto sup = start_supervisor("");
  ASSERT_TRUE(sup.ok());
  const std::string child = answered_id(send(*sup, "spawn-init:x|worker.toml"));
  ASSERT_FALSE(child.empty());
  send(child, "inc");
  EXPECT_EQ(send(*sup, "state:" + child), "ok:x+");
  const std::string events = send(*sup, "events:" + child);
  EXPECT_EQ(events.rfind("ok:", 0), 0u) << events;
  EXPECT_NE(events.find(":theater-runtime/actor-load"), std::string::npos) << events;
}

TEST_F(SupervisorTest, EachEndedChildGivesExactlyOneNoticeOfItsKind) {
  write_worker();
  auto sup = start_supervisor("");  // strategy none: nothing restarts
  ASSERT_TRUE(sup.ok());
  auto spawn = [&] { return answered_id(send(*sup, "spawn:worker.toml")); };
  const std::string exits = spawn(), traps = spawn(), fails = spawn(), stopped = spawn(),
                    own = spawn();
  ASSERT_FALSE(own.empty());

  send(exits, "shutdown:bye");
  crash(traps, "trap");
  crash(fails, "fail");
  ASSERT_TRUE(runtime_->stop(stopped).ok());
  EXPECT_EQ(send(*sup, "stop:" + own), "ok:");
  // The parent handles its notices in order; one more end after them all
  // says they have all been handled.
  const std::string last = spawn();
  ASSERT_TRUE(runtime_->stop(last).ok());
  ASSERT_TRUE(wait_log_containing("child-external-stop " + last));

  EXPECT_EQ(logs_containing("child-exit " + exits + " bye"), 1u);
  EXPECT_EQ(logs_containing("child-error " + traps + " trap"), 1u);
  EXPECT_EQ(logs_containing("child-error " + fails + " "), 1u);
  EXPECT_EQ(logs_containing("child-external-stop " + stopped), 1u);
  EXPECT_EQ(logs_containing(own), 0u);  // its own stop-child: no notice
  for (const std::string& id : {exits, traps, fails, stopped})
    EXPECT_EQ(logs_containing(id), 1u) << id;
  EXPECT_TRUE(children_of(*sup).empty());
}

TEST_F(SupervisorTest, StoppingAParentStopsItsSubtreeChildrenFirst) {
  write_worker();
  write_supervisor("middle.toml", "");
  auto top = start_supervisor("");
  ASSERT_TRUE(top.ok());
  const std::string middle = answered_id(send(*top, "spawn-init:spawn:worker.toml|middle.toml"));
  ASSERT_FALSE(middle.empty()) << state_text(*top);
  ASSERT_EQ(children_of(middle).size(), 1u);
  const std::string leaf = children_of(middle)[0];
  ASSERT_TRUE(runtime_->stop(*top).ok());
  EXPECT_TRUE(runtime_->list().empty());
  // Both chains end with their stop.
  auto leaf_stop = events_of(leaf, "theater-runtime/stopped");
  auto middle_stop = events_of(middle, "theater-runtime/stopped");
  ASSERT_EQ(leaf_stop.size(), 1u);
  ASSERT_EQ(middle_stop.size(), 1u);
  EXPECT_EQ(logs_containing("child-external-stop"), 0u);  // a stopping parent hears nothing
}

TEST_F(SupervisorTest, AChildNeverGetsMorePermissionThanItsParent) {
  write("greedy.toml", "name = \"greedy\"\ncomponent = \"" + guest("supervisor_parent_actor") +
                           "\"\n[[handler]]\ntype = \"supervisor\"\nmax_children = 100\n");
  auto sup = start_supervisor("max_children = 10\n");
  ASSERT_TRUE(sup.ok()) << sup.error().message;
  const std::string answer = send(*sup, "spawn:greedy.toml");
  EXPECT_EQ(answer.rfind("err:", 0), 0u) << answer;
  EXPECT_NE(answer.find("max_children"), std::string::npos) << answer;
}

}  // namespace
}  // namespace theater::runtime::testing
