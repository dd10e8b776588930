# Thin wrapper over CMake: `make demo` and `make test` work on a fresh Debian 12 machine.
# Both install the Debian packages that are missing (as root, or through sudo), configure,
# and build into build/ (binaries in build/bin/). `make test-sanitize` builds and tests
# again under ASan + UBSan (build-asan/, the `asan` preset); `make fuzz` builds the fuzz
# targets (build-fuzz/) and runs each for FUZZ_SECONDS (README "Reliability").

BUILD_DIR ?= build
JOBS ?= $(shell nproc)

# Build dependencies, and the real tools the tests compare against. libgraphviz-dev is for
# `sketchc render`; the libgvc6 it pulls in carries the plugins SVG and PNG (cairo) need.
# libonnx-testdata is ONNX's own backend test suite.
DEBIAN_PACKAGES := cmake ninja-build g++ pkg-config \
  libyaml-cpp-dev libspdlog-dev libcli11-dev doctest-dev nlohmann-json3-dev \
  libonnx-dev libprotobuf-dev protobuf-compiler libluajit-5.1-dev libtorch-dev libgraphviz-dev clang \
  python3 python3-numpy python3-yaml python3-torch python3-torchvision python3-jsonschema \
  python3-lark python3-onnx libonnx-testdata dpkg-dev zsh
# ONNX Runtime for the tests comes from the npm registry (tests/onnx/install_onnxruntime.sh);
# Debian's Node.js is used only where no node/npm is installed yet.
NODE_PACKAGES := $(shell command -v npm >/dev/null 2>&1 || echo nodejs npm)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build demo test test-sanitize fuzz clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES) $(NODE_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

DEMO_OUT := $(BUILD_DIR)/demo

demo: build
	$(BUILD_DIR)/bin/sketchc check examples/resnet18.sketch
	$(BUILD_DIR)/bin/sketchc summary examples/resnet18.sketch
	@mkdir -p $(DEMO_OUT)
	$(BUILD_DIR)/bin/sketchc compile examples/resnet18.sketch -o $(DEMO_OUT)/resnet18.onnx
	$(BUILD_DIR)/bin/sketchc compile examples/resnet18.sketch -o $(DEMO_OUT)/resnet18.t7
	$(BUILD_DIR)/bin/sketchc compile examples/resnet18.sketch -o $(DEMO_OUT)/resnet18.pth
	$(BUILD_DIR)/bin/sketch-import $(DEMO_OUT)/resnet18.onnx -o $(DEMO_OUT)/resnet18_imported.sketch
	$(BUILD_DIR)/bin/sketch-import $(DEMO_OUT)/resnet18.pth -o $(DEMO_OUT)/resnet18_from_pth.sketch
	$(BUILD_DIR)/bin/sketchc render examples/resnet18.sketch -o $(DEMO_OUT)/resnet18.svg --depth 1
	@ls -l $(DEMO_OUT)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer; any report fails
# the test that triggered it. The torch kernel module is left out (see CMakePresets.json).
test-sanitize: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

FUZZ_SECONDS ?= 60

# Each fuzz target for FUZZ_SECONDS on its corpus; the seeds need build/bin/sketchc.
fuzz: build
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	SKETCHC=$(BUILD_DIR)/bin/sketchc tests/fuzz/run_fuzzers.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
