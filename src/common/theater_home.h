// The folder a theater keeps its state in (the event log, theater.db).
#pragma once

#include <filesystem>

#include "common/result.h"

namespace theater {

// $THEATER_HOME when set, else ~/.theater (./.theater without a HOME). An
// empty THEATER_HOME is an error, never a silent fallback. Kept here, below
// every layer, so a command that only reads the log (`theater verify`) finds
// it without linking the runtime; runtime::RuntimeOptions::default_home is
// this function.
Result<std::filesystem::path> theater_home();

}  // namespace theater
