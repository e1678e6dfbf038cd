// Descriptor helpers shared by the OS layer's two forks: ChildProcess (the
// actor's child, between clone and exec) and Lifeline (its helper process).
// Internal to os/.
#pragma once

#include <chrono>

// Code that runs in a child between clone/fork and exec: async-signal-safe
// calls only, and not instrumented. It runs on a stack the sanitizers know
// nothing about, in a child that shares the parent's memory (and shadow
// memory) until exec; instrumented frames would leave poisoned shadow behind
// in our memory.
#define THEATER_CHILD_CODE __attribute__((no_sanitize("address", "undefined")))

namespace theater::process {

// The soft RLIMIT_NOFILE (65536 when unlimited or unknown): how far a close()
// loop goes when close_range is unavailable. Read before forking.
int open_file_limit();

// Waits until `fd` is readable (for a pidfd: the process has exited),
// retrying on EINTR. False on timeout or error.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

// Closes every descriptor from `first` up except `keep` (>= `first`):
// close_range where the kernel has it, else a close() loop up to `fd_limit`.
// Child code (see THEATER_CHILD_CODE).
void close_descriptors_except(int first, int keep, int fd_limit);

}  // namespace theater::process
