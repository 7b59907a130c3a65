# The two set-up commands (README): `make demo` and `make test`. Each installs what is missing.
BUILD ?= build
CMAKE_FLAGS ?=
PATHS ?= 100000
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: deps configure build demo test bench format clean fuzz sanitize python mpi

deps:
	@bash scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The run, and in its report which drafts both sides prefer to no deal (sweep) and which
# assumptions move the signed deal's value to Ukraine most (tornado).
DRAFTS = v1,v2,v3,v4,v5,signed_with_guarantee,v4_telegraph
demo: build
	$(BUILD)/nadra sweep --deal $(DRAFTS) --paths $(PATHS) --out $(BUILD)/demo
	$(BUILD)/nadra tornado --deal v5 --rows 5 --out $(BUILD)/demo
	$(BUILD)/nadra run --paths $(PATHS) --out $(BUILD)/demo --report $(BUILD)/demo/report.html

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Benchmarks (BENCHMARKS.md): the engine's stages per path, then the end-to-end table (built-in
# scenario, lower-bound kernel, Squiggle and scalar C++ peers), growth tables and targets, then
# a slider move of `nadra serve`'s live page at 10^4 paths on 2 cores.
# BENCH_QUICK=1: smaller growth tables and Squiggle at 10^4 samples only.
# BENCH_MEMORY="10000 100000 1000000 10000000": the path counts of `nadra run`'s memory table
# (default 10^4, 10^5, 10^6; 10^7 takes a quarter of an hour on 2 cores).
BENCH_PATHS ?= 10000 100000
BENCH_MEMORY ?=
# Then MPI scaling (BENCHMARKS.md, "MPI") when the MPI build is there (`make mpi`), at a small
# size; the full figures: python3 bench/mpi_scaling.py build-mpi/nadra --run-paths 100000 ...
bench: build
	$(BUILD)/nadra_micro_bench --benchmark_min_time=0.5
	$(BUILD)/nadra_bench $(if $(BENCH_QUICK),--quick) $(if $(BENCH_MEMORY),--memory $(shell echo $(BENCH_MEMORY) | tr ' ' ',')) $(BENCH_PATHS)
	/usr/bin/python3 bench/serve_slider.py $(BUILD)/nadra
	@if [ -x $(BUILD_MPI)/nadra ]; then /usr/bin/python3 bench/mpi_scaling.py $(BUILD_MPI)/nadra --quick; \
	else echo "bench: no MPI build in $(BUILD_MPI)/ (make mpi, docs/cluster.md): MPI scaling skipped"; fi

# nadra for MPI jobs (docs/cluster.md): `mpirun -n K build-mpi/nadra ...`. Only the program.
BUILD_MPI ?= build-mpi
mpi: deps
	@cmake -S . -B $(BUILD_MPI) -G Ninja -DCMAKE_BUILD_TYPE=Release -DNADRA_MPI=ON -DNADRA_TESTS=OFF \
	  -DNADRA_BENCH=OFF -DNADRA_PYTHON=OFF $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(BUILD_MPI) -j $(JOBS) --target nadra

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)

# Reliability checks (docs/model.md, "Limits and failures"), each in its own build folder.
fuzz: deps
	bash scripts/fuzz $(FUZZ_SECONDS)

sanitize: deps
	JOBS=$(JOBS) bash scripts/sanitize

# The Python package (README "Python"): into .venv, a virtual environment that sees Debian's
# numpy and pandas, built offline by setuptools driving CMake (setup.py).
python: deps
	@test -x .venv/bin/python || /usr/bin/python3 -m venv --system-site-packages .venv
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) .venv/bin/pip install --no-build-isolation --no-index .
	@echo "nadra for Python is in .venv: .venv/bin/python -c 'import nadra'"
