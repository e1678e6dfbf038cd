# Checks that a guest module's interface is exactly what an expectations file says.
#
#   cmake -DWASM=<module.wasm> -DEXPECTED=<file> -DOBJDUMP=<wasm-objdump> -P check_wasm_interface.cmake
#
# The expectations file has one line per import or export (a line starting with '#'
# is a comment; export names contain '#' themselves):
#   import <module>.<field> <core signature>     e.g. import theater:simple/runtime.log (i32, i32) -> nil
#   export <name> <core signature>               e.g. export cabi_realloc (i32, i32, i32, i32) -> i32
#   export <name> memory
# Signatures are written as wasm-objdump prints them. Imports from
# wasi_snapshot_preview1 (wasi-libc's needs) are allowed without being listed; any
# other import or export missing from, or absent in, the file fails the check.
cmake_minimum_required(VERSION 3.24)

foreach(var WASM EXPECTED OBJDUMP)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_wasm_interface: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${OBJDUMP}" -x "${WASM}" OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "wasm-objdump failed on ${WASM}")
endif()

# wasm-objdump -x prints "Section[count]:" headers followed by " - ..." entries.
string(REPLACE "\n" ";" lines "${dump}")
set(section "")
set(actual)
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z]+)\\[[0-9]+\\]:")
    set(section "${CMAKE_MATCH_1}")
  elseif(section STREQUAL "Type" AND line MATCHES "^ - type\\[([0-9]+)\\] (.*)$")
    set(type_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  elseif(section STREQUAL "Import" AND line MATCHES "^ - func\\[([0-9]+)\\] sig=([0-9]+).* <- (.*)$")
    set(signature "${type_${CMAKE_MATCH_2}}")
    set(func_sig_${CMAKE_MATCH_1} "${signature}")
    set(import_name "${CMAKE_MATCH_3}")
    if(NOT import_name MATCHES "^wasi_snapshot_preview1\\.")  # resets CMAKE_MATCH_*
      list(APPEND actual "import ${import_name} ${signature}")
    endif()
  elseif(section STREQUAL "Import" AND line MATCHES "^ - (.*)$")
    list(APPEND actual "import (not a function) ${CMAKE_MATCH_1}")
  elseif(section STREQUAL "Function" AND line MATCHES "^ - func\\[([0-9]+)\\] sig=([0-9]+)")
    set(func_sig_${CMAKE_MATCH_1} "${type_${CMAKE_MATCH_2}}")
  elseif(section STREQUAL "Export" AND line MATCHES "^ - func\\[([0-9]+)\\].* -> \"(.*)\"$")
    list(APPEND actual "export ${CMAKE_MATCH_2} ${func_sig_${CMAKE_MATCH_1}}")
  elseif(section STREQUAL "Export" AND line MATCHES "^ - ([a-z]+)\\[[0-9]+\\].* -> \"(.*)\"$")
    list(APPEND actual "export ${CMAKE_MATCH_2} ${CMAKE_MATCH_1}")
  endif()
endforeach()

file(STRINGS "${EXPECTED}" expected_lines)
set(expected)
foreach(line IN LISTS expected_lines)
  string(STRIP "${line}" line)
  if(line AND NOT line MATCHES "^#")
    list(APPEND expected "${line}")
  endif()
endforeach()

set(problems "")
foreach(item IN LISTS expected)
  if(NOT item IN_LIST actual)
    string(APPEND problems "  missing:    ${item}\n")
  endif()
endforeach()
foreach(item IN LISTS actual)
  if(NOT item IN_LIST expected)
    string(APPEND problems "  unexpected: ${item}\n")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "${WASM} does not match ${EXPECTED}:\n${problems}")
endif()
list(LENGTH actual count)
message(STATUS "${WASM}: all ${count} theater imports and exports match")
