# Platform tier: the real OpenWrt userland (libubox ubus uci ucode rpcd uhttpd firewall4 netifd,
# pinned in scripts/platform/upstream.tsv) built on this Debian host into .cache/platform/stage
# and started as a router in private mount/net/pid namespaces (test/platform/README.md).
#   platform-build       build/stage it (~40 s once; a no-op afterwards). Sources from
#                        $OPENWRT_UPSTREAM (tarballs) when set, else git clone of the pinned commits.
#   test-platform-smoke  the tier itself works: a router with the package, real login over HTTP,
#                        uci, netifd's interface dump, fw4 reload with and without flow offloading.
#   test-platform        the tier in `make test`. Needs root. Includes real LuCI 25.12 in Chromium
#                        (test/platform/luci*.test.ts: router.sh start --luci; needs the panel built).

.PHONY: platform-build test-platform-smoke

platform-build:
	@scripts/platform/build.sh >/dev/null

test-platform-smoke: platform-build $(HANDLER)
	@scripts/ensure-qjs.sh >/dev/null
	test/platform/smoke.sh

# The platform tier (part of `make test`): the unchanged package in the real userland, tests through
# real uhttpd /ubus (test/platform/*.test.ts). CI sets OPENWRT_UPSTREAM to the pinned tarballs.
.PHONY: test-platform
test-platform: test-platform-smoke panel
	@scripts/ensure-qjs.sh >/dev/null
	PLATFORM_TIER=1 QJS=$$(scripts/ensure-qjs.sh) $(VITEST) test/platform
