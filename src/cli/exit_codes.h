// The exit codes of the `theater` command. Scripts rely on them: they are
// listed in `theater run --help` and src/cli/README.md.
#pragma once

namespace theater::cli::exit_codes {

inline constexpr int kSuccess = 0;
// The actor failed (init, a call, a trap), reported failure, or the command
// could not do its work (a manifest refused, a runtime that cannot start).
inline constexpr int kFailure = 1;
// The command line is wrong: unknown command, unknown option, bad value.
inline constexpr int kUsage = 2;
// Events could not be persisted (sysexits' EX_IOERR): the chain is complete
// only up to the last event committed before the failure.
inline constexpr int kEventsLost = 74;
// Stopped by signal N: 128 + N, as a shell reports it (SIGINT 130, SIGTERM 143).
inline constexpr int kSignalBase = 128;

}  // namespace theater::cli::exit_codes
