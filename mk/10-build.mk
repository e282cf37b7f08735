# Build: the handler (esbuild → one ES module for QuickJS), the panel (Vite),
# the simulator (esbuild → Node) and the stand-in tools (esbuild → QuickJS).

RPCD_SRC   := $(shell find rpcd/src -name '*.ts' 2>/dev/null)
WEB_SRC    := $(shell find web -path web/node_modules -prune -o -type f -print 2>/dev/null)
SIM_SRC    := $(shell find test/sim -name '*.ts' 2>/dev/null)
QJS_TARGET := --bundle --format=esm --platform=neutral --target=es2020 --external:std --external:os --legal-comments=none

.PHONY: build handler panel sim qjs
build: handler panel sim

handler: $(HANDLER)
$(HANDLER): $(NODE_STAMP) $(RPCD_SRC)
	esbuild scripts/build-handler.ts --bundle --platform=node --format=esm --target=node20 --packages=external --outfile=build/scripts/build-handler.mjs --log-level=warning
	node build/scripts/build-handler.mjs $@

panel: $(PANEL_DIR)/app.js
$(PANEL_DIR)/app.js: $(NODE_STAMP) $(WEB_SRC) $(RPCD_SRC)
	vite build --config web/vite.config.ts --logLevel warn

SIM_TOOLS := uci fw4 nft conntrack ethtool
sim: build/sim/server.mjs $(SIM_TOOLS:%=build/sim-tools/%.js)
build/sim/server.mjs: $(NODE_STAMP) $(SIM_SRC) $(RPCD_SRC)
	esbuild test/sim/main.ts --bundle --platform=node --format=esm --target=node20 --outfile=$@ --log-level=warning
build/sim-tools/%.js: test/sim/tools/%.ts $(NODE_STAMP) $(SIM_SRC) $(RPCD_SRC)
	esbuild $< $(QJS_TARGET) --outfile=$@ --log-level=warning

# The real QuickJS used by tests and the simulator (built from Debian's source package when missing).
qjs:
	@scripts/ensure-qjs.sh >/dev/null
