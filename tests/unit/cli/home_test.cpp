// theater_home() (what `theater events` and `theater verify` read) and
// RuntimeOptions::default_home() (where `theater run` writes) name the same
// folder, and fail alike, in every case of the environment.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "common/theater_home.h"
#include "runtime/theater_runtime.h"

namespace theater {
namespace {

// Sets or unsets an environment variable for one test, restoring it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

void expect_same_home() {
  auto reader = theater_home();
  auto runtime = runtime::RuntimeOptions::default_home();
  ASSERT_EQ(reader.ok(), runtime.ok());
  if (reader.ok()) {
    EXPECT_EQ(*reader, *runtime);
  } else {
    EXPECT_EQ(reader.error().code, runtime.error().code);
    EXPECT_EQ(reader.error().message, runtime.error().message);
  }
}

TEST(TheaterHome, TheaterHomeSetIsThatFolder) {
  ScopedEnv home("THEATER_HOME", "/srv/theater");
  ASSERT_TRUE(theater_home().ok());
  EXPECT_EQ(*theater_home(), "/srv/theater");
  expect_same_home();
}

TEST(TheaterHome, EmptyTheaterHomeIsAnError) {
  ScopedEnv home("THEATER_HOME", "");
  auto found = theater_home();
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("THEATER_HOME is set but empty"), std::string::npos);
  expect_same_home();
}

TEST(TheaterHome, UnsetTheaterHomeIsUnderTheUsersHome) {
  ScopedEnv home("THEATER_HOME", std::nullopt);
  ScopedEnv user("HOME", "/home/someone");
  ASSERT_TRUE(theater_home().ok());
  EXPECT_EQ(*theater_home(), "/home/someone/.theater");
  expect_same_home();
}

TEST(TheaterHome, NoHomeAtAllIsTheCurrentFolder) {
  ScopedEnv home("THEATER_HOME", std::nullopt);
  ScopedEnv user("HOME", std::nullopt);
  expect_same_home();
}

}  // namespace
}  // namespace theater
