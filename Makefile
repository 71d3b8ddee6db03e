# Thin wrapper around CMake: `make`, `make demo`, `make test`, `make clean`.
# Release build in build/release, the sanitizer test build in build/asan.
# Missing Debian packages are installed first (scripts/setup-deps.sh).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE := build/release
ASAN := build/asan

.PHONY: all release demo test clean distclean deps deps-test

all: release

deps:
	@scripts/setup-deps.sh build

deps-test:
	@scripts/setup-deps.sh test

release: deps
	@[ -f $(RELEASE)/CMakeCache.txt ] || cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DDBWARDEN_TESTS=OFF
	@cmake --build $(RELEASE) -j $(JOBS)

demo: release
	@rm -f build/demo.db   # build/ is ours: always a fresh demo
	$(RELEASE)/dbwarden --db build/demo.db --migrations migrations/sqlite demo

test: deps-test
	@[ -f $(ASAN)/CMakeCache.txt ] || cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DDBWARDEN_SANITIZE=ON
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

clean:
	@[ ! -d $(RELEASE) ] || cmake --build $(RELEASE) --target clean
	@[ ! -d $(ASAN) ] || cmake --build $(ASAN) --target clean

distclean:
	rm -rf build
