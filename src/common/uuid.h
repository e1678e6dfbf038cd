// Random (version 4) UUIDs in their lowercase, hyphenated text form: actor
// ids (wit/types.wit), channel ids.
#pragma once

#include <string>

namespace theater {

std::string random_uuid();

}  // namespace theater
