# Host-call overhead of timing.now and random.random-bytes(32) with their
# chain records, next to an empty host call and a SHA-256 of the record.
add_wasm_actor(bench_host_call_actor SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/host_call_bench_actor.c)
add_executable(bench_host_calls ${CMAKE_CURRENT_SOURCE_DIR}/host_calls_bench.cpp)
target_link_libraries(bench_host_calls PRIVATE theater_runtime theater_chain benchmark::benchmark
                                               theater_malloc)
target_compile_definitions(bench_host_calls PRIVATE THEATER_WASM_DIR="${THEATER_WASM_DIR}")
add_dependencies(bench_host_calls wasm_bench_host_call_actor)
