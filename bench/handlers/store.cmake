# The content store against SQLite's own insert/select (store_bench.cpp).
add_executable(bench_store ${CMAKE_CURRENT_LIST_DIR}/store_bench.cpp)
target_link_libraries(bench_store PRIVATE theater_store SQLite::SQLite3)
