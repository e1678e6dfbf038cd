// The config tests' temporary directory: the shared one.
#pragma once

#include "../../support/temp_dir.h"
#include "config/paths.h"  // canonical_path, used with it in these tests

namespace theater::config::testing {
using TempDir = test_support::TempDir;
}  // namespace theater::config::testing
