// Everything an actor may use: include this, or only the interfaces you need.
#ifndef THEATER_THEATER_H
#define THEATER_THEATER_H

#include "theater/abi.h"
#include "theater/actor.h"
#include "theater/environment.h"
#include "theater/exports.h"
#include "theater/filesystem.h"
#include "theater/message_server.h"
#include "theater/process.h"
#include "theater/random.h"
#include "theater/runtime.h"
#include "theater/store.h"
#include "theater/supervisor.h"
#include "theater/timing.h"
#include "theater/types.h"

#endif  // THEATER_THEATER_H
