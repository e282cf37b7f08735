# Test tiers. `make test` installs what it needs and runs every tier:
#   unit      pure parsers and calculators (Vitest, node)
#   rpcd      the bundled handler under real QuickJS, in simulated-router scenarios
#   sim       simulator conformance with captured uhttpd/rpcd transcripts
#   web       panel components/models and the ubus client against the simulator
#   e2e       the panel in real Chromium (LuCI-shaped page and standalone)
#   package   the .ipk and .apk with the real opkg and apk, the feed
#   fuzz      property-based drills, 10 000 cases per parser (FUZZ_RUNS)
#   platform  the real OpenWrt userland and real LuCI in namespaces (mk/70-platform.mk)
#   mutation  StrykerJS over the safety core, fails below its break score (mk/80-mutation.mk)
#   kernel    the real stack against a real kernel with flowtables (QEMU)

VITEST := vitest run

.PHONY: deps-system typecheck test test-fast test-vitest test-fuzz demo

# Debian packages the tests need: chromium (e2e), strace (exec-plugin protocol test), busybox-static (its grep, as a router has it; the package and platform tiers use it too).
deps-system:
	@scripts/ensure-chromium.sh >/dev/null
	@scripts/ensure-debs.sh strace busybox-static
	@scripts/ensure-qjs.sh >/dev/null

typecheck: deps
	tsc -p tsconfig.json --noEmit

test-vitest: deps build deps-system typecheck
	QJS=$$(scripts/ensure-qjs.sh) CHROMIUM=$$(scripts/ensure-chromium.sh) $(VITEST)

test-fuzz: deps build
	QJS=$$(scripts/ensure-qjs.sh) FUZZ_RUNS=$${FUZZ_RUNS:-10000} $(VITEST) test/fuzz

test: test-vitest test-fuzz test-platform test-mutation test-kernel
	@echo "make test: every tier passed"

# Everything but the kernel tier, for a quick local loop.
test-fast: test-vitest

# The simulated router demo: builds, starts, prints URL and login.
DEMO_PORT ?= 8080
demo: deps build
	@QJS=$$(scripts/ensure-qjs.sh) node build/sim/server.mjs --port $(DEMO_PORT) --host $${DEMO_HOST:-127.0.0.1} $${SCENARIO:+--scenario $$SCENARIO}
