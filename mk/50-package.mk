# Packaging (docs/packaging.md):
#   make ipk   → dist/luci-app-offload_<version>-<release>_all.ipk, for opkg (OpenWrt ≤ 24.10),
#                built without the SDK and byte-for-byte reproducible.
#   make feed  → dist/feed/ (luci-app-offload with the pre-built handler and panel, plus a
#                quickjs recipe for 24.10) and dist/luci-app-offload-feed-<version>.tar.gz,
#                for the SDK / buildroot, which builds the .ipk or .apk (25.12+) itself.
# The version comes from package.json; everything else from luci-app-offload/Makefile.

PKG_SCRIPTS := scripts/build-ipk.ts $(wildcard scripts/package/*.ts)
NODE_SCRIPT := --bundle --platform=node --format=esm --target=node20 --log-level=warning

.PHONY: ipk feed package
package: ipk feed

build/scripts/build-ipk.mjs: $(NODE_STAMP) $(PKG_SCRIPTS)
	esbuild scripts/build-ipk.ts $(NODE_SCRIPT) --outfile=$@
build/scripts/build-feed.mjs: $(NODE_STAMP) $(PKG_SCRIPTS)
	esbuild scripts/package/build-feed.ts $(NODE_SCRIPT) --outfile=$@

# Always rebuilt (a fraction of a second); the result only changes when an input does.
ipk: handler panel build/scripts/build-ipk.mjs
	node build/scripts/build-ipk.mjs
feed: handler panel build/scripts/build-feed.mjs
	node build/scripts/build-feed.mjs
