// Shell scripts whose descendants leave their process group and session, for
// the tests that check such processes still end with their actor. Each
// escapee is a `sleep <marker>` (find them with
// proc::live_processes_running({"sleep", marker})).
#pragma once

#include <string>

namespace theater::testing {

// How many escapees escaping_script() starts.
inline constexpr std::size_t kEscapees = 3;

// Starts, detached from the shell's stdio: one `setsid sleep` (a new session
// while its parent lives), one double fork into a new session (its parent
// exits at once: an orphan), and one new session that ignores SIGTERM (only
// SIGKILL ends it). Then runs `then`.
inline std::string escaping_script(const std::string& marker, const std::string& then) {
  const std::string quiet = " </dev/null >/dev/null 2>&1";
  return "setsid sleep " + marker + quiet + " & " +                    //
         "( setsid sleep " + marker + quiet + " & ) ; " +              //
         "setsid sh -c 'trap \"\" TERM; exec sleep " + marker + "'" +  //
         quiet + " & " + then;
}

}  // namespace theater::testing
