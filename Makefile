# Two commands on a fresh machine:
#   make test   installs what is missing, builds everything, runs the tests
#   make demo   the same setup, then runs the bundled example
# Other targets: build (release build, CLI at build/bin/theater), asan, debug,
# fuzz (every libFuzzer target for FUZZ_SECONDS each, fuzz/README.md), bench,
# format, tidy, clean.
PRESET ?= release
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all setup configure build test demo asan debug fuzz bench format tidy clean

all: build

setup:
	@./scripts/setup-deps.sh

# Configure only when the build folder has no cache yet; CMake re-runs itself
# when a CMakeLists.txt changes.
build-dir = $(if $(filter release,$(1)),build,build-$(1))

configure: setup
	@test -f $(call build-dir,$(PRESET))/CMakeCache.txt || cmake --preset $(PRESET)

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@ctest --preset $(PRESET)

demo: build
	@./scripts/demo.sh

asan:
	@$(MAKE) --no-print-directory test PRESET=asan

debug:
	@$(MAKE) --no-print-directory test PRESET=debug

fuzz: setup
	@JOBS=$(JOBS) ./fuzz/run.sh fuzz $(FUZZ_SECONDS)

bench: build
	@./scripts/bench.sh

format:
	@git ls-files '*.cpp' '*.h' '*.c' | xargs clang-format -i

tidy: build
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p build --quiet

clean:
	@rm -rf build build-debug build-asan build-fuzz
