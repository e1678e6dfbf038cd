# Filesystem handler benchmark: read-file of a 1 MiB file through a guest
# (the host call and its chain record) against `cat` of the same file, both
# in one run of bench_filesystem (filesystem.sh prints them and the ratio).
add_executable(bench_filesystem ${CMAKE_CURRENT_LIST_DIR}/filesystem_bench.cpp)
target_link_libraries(bench_filesystem PRIVATE theater_runtime theater_malloc)
target_compile_definitions(bench_filesystem PRIVATE THEATER_WASM_DIR="${THEATER_WASM_DIR}")
add_dependencies(bench_filesystem wasm_filesystem_probe_actor)
