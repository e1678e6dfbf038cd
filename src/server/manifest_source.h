// How POST /v1/actors reads its "manifest" string: a path to an existing
// file is that file; otherwise text with a newline or an '=' is inline TOML
// (no sane manifest path has either); anything else is a path, so a typo is
// reported as a missing file rather than as a TOML error. Relative paths,
// and an inline manifest's relative paths, resolve against the server's
// working directory: clients send absolute paths.
#pragma once

#include <string>
#include <string_view>

#include "config/manifest.h"

namespace theater::server {

struct ManifestSource {
  config::Manifest manifest;
  std::string text;  // the TOML, as given or read from the file
};

Result<ManifestSource> read_manifest(std::string_view path_or_toml,
                                     const config::HandlerSchemas& schemas);

}  // namespace theater::server
