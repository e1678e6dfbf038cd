// The project's one event-loop library: Boost.Asio (Debian libboost-dev),
// the same API as standalone Asio under boost::asio. It replaced standalone
// Asio when the management server took Boost.Beast, which is built on it, so
// that one library runs every loop (DESIGN notes in src/server/README.md).
// Include the Boost.Asio headers a file needs (they define what is named
// here), then this, and write `asio::` and `error_code`. This header
// includes nothing, so common/ itself does not depend on Boost.
#pragma once

namespace boost::asio {}
namespace boost::system {
class error_code;
}

namespace theater {
namespace asio = boost::asio;
using boost::system::error_code;
}  // namespace theater
