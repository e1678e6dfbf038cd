// Routing a child's end or failure to its parent actor through the parent's
// supervisor-handlers exports (wit/supervisor.wit), when it exports them. The
// calls are queued like any other call into the parent; the parent's own
// failure there does not affect the child.
#pragma once

#include "actor/actor.h"
#include "runtime/theater_runtime.h"

namespace theater::runtime {

void report_child_exit(actor::Actor& parent, const std::string& child_id, const ActorExit& exit);
void report_child_error(actor::Actor& parent, const std::string& child_id, const Error& error);

}  // namespace theater::runtime
