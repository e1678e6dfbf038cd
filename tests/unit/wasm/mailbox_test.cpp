// The one queue between an instance's callers and its thread (wasm/mailbox.h),
// driven step by step by a ManualExecutor: no V8, no threads, no sleeps.
#include "wasm/mailbox.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../support/manual_executor.h"

namespace theater::wasm {
namespace {

using testing::ManualExecutor;
using testing::task_that;

class MailboxTest : public ::testing::Test {
 protected:
  Task logging(std::string name) {
    return task_that([this, name] { ran.push_back(name); });
  }
  std::vector<std::string> ran;
  ManualExecutor executor;
};

TEST_F(MailboxTest, RunsTasksInTheOrderPostedAndIsScheduledOnce) {
  Mailbox mailbox(8);
  for (const char* name : {"a", "b", "c"}) ASSERT_TRUE(executor.post(mailbox, logging(name)).ok());
  EXPECT_EQ(executor.ready(), 1u) << "only the first post makes an idle mailbox runnable";
  EXPECT_EQ(executor.run_all(), 3);
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(mailbox.scheduled());
}

TEST_F(MailboxTest, AFullMailboxRefusesAndLeavesTheTaskIntact) {
  Mailbox mailbox(2);
  ASSERT_TRUE(executor.post(mailbox, logging("a")).ok());
  ASSERT_TRUE(executor.post(mailbox, logging("b")).ok());
  Task third = logging("c");
  third.keep_alive = std::make_shared<int>(7);
  Result<bool> refused = mailbox.post(std::move(third));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(refused.error().message.find("2 tasks waiting"), std::string::npos);
  ASSERT_TRUE(third.run) << "the refused task keeps its function";
  ASSERT_TRUE(third.keep_alive) << "and what it holds";
  executor.run_all();
  ASSERT_TRUE(executor.post(mailbox, std::move(third)).ok());
  executor.run_all();
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(MailboxTest, PauseHoldsQueuedAndNewTasksInOrderUntilResume) {
  Mailbox mailbox(8);
  ASSERT_TRUE(executor
                  .post(mailbox, task_that([&] {
                          ran.push_back("a");
                          mailbox.pause();  // paused while "a" runs: "a" finishes
                        }))
                  .ok());
  ASSERT_TRUE(executor.post(mailbox, logging("b")).ok());
  executor.run_all();
  ASSERT_TRUE(executor.post(mailbox, logging("c")).ok());
  EXPECT_EQ(executor.ready(), 0u) << "a paused mailbox is not made runnable by a post";
  EXPECT_EQ(ran, (std::vector<std::string>{"a"}));
  EXPECT_EQ(mailbox.size(), 2u);
  executor.resume(mailbox);
  executor.run_all();
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(MailboxTest, ResumeOfAScheduledMailboxDoesNotScheduleItTwice) {
  Mailbox mailbox(8);
  ASSERT_TRUE(executor.post(mailbox, logging("a")).ok());
  mailbox.pause();
  executor.resume(mailbox);
  EXPECT_EQ(executor.ready(), 1u);
  EXPECT_EQ(executor.run_all(), 1);
}

TEST_F(MailboxTest, ATaskThatBypassesTheQueueMayNotJumpAheadOfWaitingTasks) {
  Mailbox mailbox(8);
  EXPECT_TRUE(mailbox.claim_idle());
  EXPECT_FALSE(mailbox.release_claim()) << "nothing arrived meanwhile";
  ASSERT_TRUE(executor.post(mailbox, logging("a")).ok());
  EXPECT_FALSE(mailbox.claim_idle()) << "queued tasks go first";
  executor.run_all();
  mailbox.pause();
  EXPECT_FALSE(mailbox.claim_idle()) << "nothing runs while paused";
}

TEST_F(MailboxTest, WaitingProducersAreWokenOnceAtHalfCapacityNotForEveryTask) {
  Mailbox mailbox(4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(executor.post(mailbox, logging("t")).ok());
  int woken_a = 0, woken_b = 0;
  mailbox.notify_when_space([&] { ++woken_a; });
  mailbox.notify_when_space([&] { ++woken_b; });
  EXPECT_EQ(woken_a + woken_b, 0) << "full: they wait";
  ASSERT_TRUE(executor.step());  // 3 left
  EXPECT_EQ(woken_a + woken_b, 0) << "one free slot is not yet worth waking everyone";
  ASSERT_TRUE(executor.step());  // 2 left = half
  EXPECT_EQ(woken_a, 1);
  EXPECT_EQ(woken_b, 1);
  executor.run_all();
  EXPECT_EQ(woken_a, 1) << "each waiter is woken once";
}

TEST_F(MailboxTest, AskingForSpaceWhenThereIsRoomWakesAtOnce) {
  Mailbox mailbox(2);
  int woken = 0;
  mailbox.notify_when_space([&] { ++woken; });
  EXPECT_EQ(woken, 1);
}

TEST_F(MailboxTest, ClosingReturnsQueuedTasksWakesWaitersAndRefusesLaterPosts) {
  Mailbox mailbox(1);
  ASSERT_TRUE(executor.post(mailbox, logging("a")).ok());
  int woken = 0;
  mailbox.notify_when_space([&] { ++woken; });
  Mailbox::Closed closed = mailbox.close();
  EXPECT_EQ(closed.tasks.size(), 1u);
  EXPECT_FALSE(closed.idle) << "it was scheduled";
  EXPECT_EQ(woken, 1) << "a waiting producer learns at once";
  Result<bool> refused = mailbox.post(logging("b"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  Mailbox::Closed again = mailbox.close();
  EXPECT_TRUE(again.tasks.empty());
  EXPECT_FALSE(again.idle) << "the first close already acted on idleness";
  EXPECT_FALSE(executor.step()) << "a closed mailbox hands out nothing";
  EXPECT_TRUE(ran.empty());
}

// Every interleaving of two producers posting numbered tasks, the executor
// stepping, and pause/resume, up to a length: whatever the interleaving, each
// producer's tasks run in the order it posted them, and every accepted task
// runs once the mailbox is resumed and drained. A producer refused for a full
// mailbox keeps its task and posts it again when woken, as producers do.
struct Producer {
  char name;
  int next = 0;             // number of its next task
  std::optional<int> kept;  // refused, waiting to be woken
  bool woken = false;
};

void apply(int op, Mailbox& mailbox, ManualExecutor& executor, std::vector<Producer>& producers,
           std::vector<std::string>& ran) {
  auto offer = [&](Producer& p) {
    const int number = p.kept ? *p.kept : p.next++;
    Task task = task_that([&ran, name = p.name, number] {
      ran.push_back(std::string(1, name) + std::to_string(number));
    });
    if (executor.post(mailbox, std::move(task)).ok()) {
      p.kept.reset();
      return;
    }
    p.kept = number;
    p.woken = false;
    mailbox.notify_when_space([&p] { p.woken = true; });
  };
  switch (op) {
    case 0:
    case 1: {
      Producer& p = producers[op];
      if (!p.kept || p.woken) offer(p);  // a refused producer waits to be woken
      break;
    }
    case 2:
      executor.step();
      break;
    case 3:
      mailbox.pause();
      break;
    case 4:
      executor.resume(mailbox);
      break;
  }
}

TEST(MailboxInterleavingTest, EveryInterleavingKeepsEachProducersOrderAndLosesNothing) {
  constexpr int kOps = 5, kLength = 7;
  int sequences = 1;
  for (int i = 0; i < kLength; ++i) sequences *= kOps;
  for (int code = 0; code < sequences; ++code) {
    Mailbox mailbox(2);
    ManualExecutor executor;
    std::vector<Producer> producers{{'a'}, {'b'}};
    std::vector<std::string> ran;
    for (int i = 0, c = code; i < kLength; ++i, c /= kOps) {
      apply(c % kOps, mailbox, executor, producers, ran);
    }
    // Settle: resume, and let woken producers post what they kept.
    for (int round = 0; round < 8; ++round) {
      executor.resume(mailbox);
      executor.run_all();
      for (Producer& p : producers)
        if (p.kept && p.woken) apply(&p - producers.data(), mailbox, executor, producers, ran);
    }
    for (const Producer& p : producers) {
      ASSERT_FALSE(p.kept) << "sequence " << code << ": producer " << p.name
                           << " was never woken to post its task again";
      std::vector<std::string> mine;
      for (const std::string& r : ran)
        if (r[0] == p.name) mine.push_back(r);
      ASSERT_EQ(mine.size(), static_cast<size_t>(p.next)) << "sequence " << code;
      for (int n = 0; n < p.next; ++n)
        ASSERT_EQ(mine[n], std::string(1, p.name) + std::to_string(n)) << "sequence " << code;
    }
  }
}

}  // namespace
}  // namespace theater::wasm
