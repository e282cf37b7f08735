# luci-app-offload — top-level build. `make demo` and `make test` are the two entry points (README).
SHELL := /bin/bash
.DEFAULT_GOAL := build
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

NODE_STAMP := node_modules/.install-stamp
HANDLER    := luci-app-offload/root/usr/libexec/rpcd/luci.offload
PANEL_DIR  := luci-app-offload/htdocs/luci-static/resources/offload

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-fund --no-audit
	@touch $@

.PHONY: deps
deps: $(NODE_STAMP)

# Every mk/*.mk fragment adds its own targets (build, test tiers, packaging, bench).
include $(sort $(wildcard mk/*.mk))
