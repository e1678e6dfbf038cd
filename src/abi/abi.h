// The canonical ABI host layer: include this one header.
// See README.md for the WIT -> C++ type mapping.
#pragma once

#include "abi/checks.h"
#include "abi/context.h"
#include "abi/describe.h"
#include "abi/flat.h"
#include "abi/function.h"
#include "abi/guest.h"
#include "abi/layout.h"
#include "abi/type.h"
#include "abi/type_enum.h"
#include "abi/type_flags.h"
#include "abi/type_list.h"
#include "abi/type_record.h"
#include "abi/type_scalar.h"
#include "abi/type_string.h"
#include "abi/type_variant.h"
#include "abi/value_io.h"
#include "abi/values.h"
