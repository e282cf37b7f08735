# Packaging (docs/packaging.md):
#   make ipk      → dist/luci-app-offload_<version>-<release>_all.ipk and the translation
#                   packages (luci-i18n-offload-<lang>_…_all.ipk), for opkg (OpenWrt 24.10)
#   make apk      → dist/luci-app-offload-<version>-r<release>.apk and luci-i18n-offload-<lang>-….apk,
#                   for apk-tools v3 (OpenWrt 25.12), made by the real `apk mkpkg`
#   make feed     → dist/feed/ (luci-app-offload with the pre-built handler and panel, plus a
#                   quickjs recipe for 24.10) and dist/luci-app-offload-feed-<version>.tar.gz,
#                   for the SDK / buildroot
#   make release  → a clean dist/ with all of the above and SHA256SUMS
# All byte-for-byte reproducible, built without the SDK. The version comes from package.json,
# everything else from luci-app-offload/Makefile. apk-tools, po2lmo (and, for the tests, opkg)
# are built from pinned sources into .cache/pkgtools by scripts/package/build-pkgtools.sh.

PKG_SCRIPTS := scripts/build-ipk.ts $(wildcard scripts/package/*.ts)
NODE_SCRIPT := --bundle --platform=node --format=esm --target=node20 --log-level=warning
PKGTOOLS_CMD := scripts/package/build-pkgtools.sh

.PHONY: ipk apk feed package release pkgtools
package: ipk apk feed

build/scripts/build-ipk.mjs: $(NODE_STAMP) $(PKG_SCRIPTS)
	esbuild scripts/build-ipk.ts $(NODE_SCRIPT) --outfile=$@
build/scripts/build-feed.mjs: $(NODE_STAMP) $(PKG_SCRIPTS)
	esbuild scripts/package/build-feed.ts $(NODE_SCRIPT) --outfile=$@
build/scripts/build-release.mjs: $(NODE_STAMP) $(PKG_SCRIPTS)
	esbuild scripts/package/build-release.ts $(NODE_SCRIPT) --outfile=$@

# The real packaging tools (idempotent: a no-op once built).
pkgtools:
	@$(PKGTOOLS_CMD) >/dev/null

# Always rebuilt (a fraction of a second); the result only changes when an input does.
ipk: handler panel build/scripts/build-ipk.mjs
	tools=$$($(PKGTOOLS_CMD)) && PKGTOOLS=$$tools node build/scripts/build-ipk.mjs --format ipk
apk: handler panel build/scripts/build-ipk.mjs
	tools=$$($(PKGTOOLS_CMD)) && PKGTOOLS=$$tools node build/scripts/build-ipk.mjs --format apk
feed: handler panel build/scripts/build-feed.mjs
	node build/scripts/build-feed.mjs
release: handler panel build/scripts/build-release.mjs build/scripts/build-ipk.mjs build/scripts/build-feed.mjs
	rm -rf dist
	tools=$$($(PKGTOOLS_CMD)) && PKGTOOLS=$$tools node build/scripts/build-release.mjs
