// The V8 backend as its callers see it: the one header of v8/ meant for use
// outside src/wasm/ (whoever picks the backend: the runtime, the CLI, tests).
// It does not include V8's headers, so callers never depend on V8 itself.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "wasm/engine.h"

namespace theater::wasm {

Result<std::unique_ptr<Engine>> create_v8_engine(const EngineConfig& config);

// The backend's name and version, e.g. "V8 10.2.154.26-node.26". Needs no
// engine: V8 is not initialized for it.
std::string v8_engine_version();

}  // namespace theater::wasm
