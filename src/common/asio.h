// The project's one event-loop library: Boost.Asio (Debian libboost-dev),
// the same API as standalone Asio under boost::asio. It replaced standalone
// Asio when the management server took Boost.Beast, which is built on it, so
// that one library runs every loop (DESIGN notes in src/server/README.md).
// Include the Boost.Asio headers a file needs, then this, and write `asio::`.
#pragma once

#include <boost/system/error_code.hpp>

namespace theater {
namespace asio = boost::asio;
using boost::system::error_code;
}  // namespace theater
