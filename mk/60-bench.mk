# `make bench`: prints the benchmark table and writes docs/benchmarks.md (asserts nothing about time).
.PHONY: bench bench-host
build/scripts/bench.mjs: scripts/bench.ts $(wildcard scripts/bench/*.ts) $(SIM_SRC) $(NODE_STAMP)
	esbuild scripts/bench.ts --bundle --platform=node --format=esm --target=node20 --outfile=$@ --log-level=warning

bench-host: deps build build/scripts/bench.mjs
	QJS=$$(scripts/ensure-qjs.sh) node build/scripts/bench.mjs $(CURDIR)

bench: deps build platform-build build/scripts/bench.mjs
	@$(MAKE) --no-print-directory ipk >/dev/null 2>&1 || echo "bench: no .ipk (make ipk failed or is missing)"
	@$(MAKE) --no-print-directory bench-kernel || echo "bench: the real-kernel table could not be made (make bench-kernel)"
	QJS=$$(scripts/ensure-qjs.sh) node build/scripts/bench.mjs $(CURDIR)
