// A probe that imports no host-value handler: what WASI shows an actor
// without the random and environment handlers (commands: wasi_commands.h).
#include "wasi_commands.h"

static void probe_command(word command, const char* rest, const char* end,
                          theater_option_bytes* out) {
  (void)wasi_command(command, rest, end, out);
}
