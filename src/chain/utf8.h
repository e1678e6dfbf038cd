// UTF-8 well-formedness, internal to the chain library: event types and
// descriptions must survive a JSON Lines export unchanged.
#pragma once

#include <string_view>

namespace theater::chain {

// Unicode table 3-7: no overlongs, no surrogates, nothing past U+10FFFF, no
// truncated sequence.
bool is_valid_utf8(std::string_view text);

}  // namespace theater::chain
