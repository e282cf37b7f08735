# scripts/platform/luci.sh — sourced by build.sh (same shell, same helpers): build and stage
# real LuCI (openwrt-25.12 branch, pinned `luci` in upstream.tsv) next to the platform's
# uhttpd/rpcd. Nothing of upstream is modified or copied into the repository.
#
# Staged as a separate tree, $NEWSTAGE/usr/share/platform/luci, laid out the way luci.mk
# installs packages (htdocs/ → /www, ucode/ → /usr/share/ucode/luci, root/ → /, src/ via its
# Makefile), so a router without LuCI (router.sh start without --luci) is exactly the platform
# tier as before; `router.sh start --luci` copies the tree over the root.
#
#   luci-base          htdocs, ucode (dispatcher, uhttpd.uc, templates), root (menu.d, acl.d,
#                      /etc/config/luci, rpcd ucode `luci` object), src → luci.core (core.so)
#                      and version.uc
#   rpcd-mod-luci      libs/rpcd-mod-luci/src/luci.c → /usr/lib/rpcd/luci.so (C, libnl-tiny;
#                      iwinfo.h for types only: libiwinfo is dlopen()ed and absent → no wifi)
#   ucode-mod-html     contrib/package/ucode-mod-html/src/html.c → /usr/lib/ucode/html.so
#   luci-bwc           modules/luci-mod-status/src/luci-bwc.c → /usr/bin/luci-bwc (C, the Realtime
#                      Graphs collector `luci.getRealtimeStats` runs; iwinfo.h for types only:
#                      libiwinfo is dlopen()ed and absent → no radio graphs), built as its Makefile does
#   (-D_GNU_SOURCE= everywhere: ucode/util.h uses vasprintf, as for uhttpd in build.sh)
#   lucihttp           liblucihttp.so.0 + its ucode binding /usr/lib/ucode/lucihttp.so
#   luci-mod-status luci-mod-network luci-mod-system luci-app-firewall (luci-mod-admin-full
#                      is a meta package: no files), themes bootstrap material openwrt-2020
# Not built: translations (English only).

build_luci() {
    local t0 src lt logf="$CACHE/log/luci.log" p
    t0=$(date +%s.%N)
    lt="$NEWSTAGE/usr/share/platform/luci"
    rm -rf "$lt" && mkdir -p "$lt/www" "$lt/usr/share/ucode/luci" "$lt/usr/lib/rpcd" "$lt/usr/lib/ucode/luci" "$lt/usr/bin"

    # lucihttp: plain cmake (its ucode binding links the staged libucode)
    cmake_build lucihttp "-D_GNU_SOURCE=" -- -DBUILD_LUA=OFF -DBUILD_UCODE=ON -DBUILD_TESTS=OFF || return 1
    mv "$NEWSTAGE/usr/lib/ucode/lucihttp.so" "$lt/usr/lib/ucode/lucihttp.so"
    mv "$NEWSTAGE"/usr/lib/liblucihttp.so* "$lt/usr/lib/"

    src=$(fetch_src luci) || return 1
    local iw; iw=$(fetch_src iwinfo) || return 1
    log "building LuCI (${COMMIT[luci]:0:12}): luci-base core, rpcd-mod-luci, ucode-mod-html — log: $logf"
    if ! (
        # luci-base src/ through its own Makefile (luci.mk: `make -C src clean compile`, FPIC, version)
        make -C "$src/modules/luci-base/src" clean compile CC=gcc FPIC=-fPIC \
            CFLAGS="$BASE_CFLAGS -D_GNU_SOURCE=" LDFLAGS="$BASE_LDFLAGS" \
            LUCI_VERSION="git-${COMMIT[luci]:0:12}" LUCI_GITBRANCH="LuCI openwrt-25.12 branch" &&
        make -C "$src/modules/luci-base/src" install DESTDIR="$lt" CC=gcc FPIC=-fPIC \
            CFLAGS="$BASE_CFLAGS -D_GNU_SOURCE=" LDFLAGS="$BASE_LDFLAGS" \
            LUCI_VERSION="git-${COMMIT[luci]:0:12}" LUCI_GITBRANCH="LuCI openwrt-25.12 branch" &&
        # rpcd-mod-luci: its CMakeLists wants cmake ≥ 3.31 (Debian 12 has 3.25), so the same
        # compile and link line its CMakeLists gives, by hand (flags as in its Makefile)
        gcc $BASE_CFLAGS -D_GNU_SOURCE= -Os -Wall -Werror --std=gnu99 -Wmissing-declarations -fPIC -shared \
            -I"$NEWSTAGE/usr/include/libnl-tiny" -I"$BUILD/rpcd/include" -I"$iw/include" \
            -o "$lt/usr/lib/rpcd/luci.so" "$src/libs/rpcd-mod-luci/src/luci.c" \
            $BASE_LDFLAGS -lubox -lubus -luci -ldl -lnl-tiny &&
        # ucode-mod-html: one C file, built the way its Makefile does
        gcc $BASE_CFLAGS -D_GNU_SOURCE= -fPIC -Wall -ffunction-sections -Wl,--gc-sections -shared \
            -o "$lt/usr/lib/ucode/html.so" "$src/contrib/package/ucode-mod-html/src/html.c" $BASE_LDFLAGS &&
        # luci-bwc: luci-mod-status's src/Makefile (compile with -Wall, link with -ldl)
        gcc $BASE_CFLAGS -D_GNU_SOURCE= -fPIC -Wall -I"$iw/include" \
            -o "$lt/usr/bin/luci-bwc" "$src/modules/luci-mod-status/src/luci-bwc.c" $BASE_LDFLAGS -ldl
    ) >"$logf" 2>&1; then
        tail -n 40 "$logf" >&2
        return 1
    fi
    # the packages' files, as luci.mk's Package/install copies them
    for p in modules/luci-base modules/luci-mod-admin-full modules/luci-mod-status modules/luci-mod-network \
        modules/luci-mod-system applications/luci-app-firewall themes/luci-theme-bootstrap \
        themes/luci-theme-material themes/luci-theme-openwrt-2020; do
        [ -d "$src/$p" ] || { log "LuCI: $p missing in the sources"; return 1; }
        [ ! -d "$src/$p/ucode" ] || cp -pR "$src/$p/ucode/." "$lt/usr/share/ucode/luci/"
        [ ! -d "$src/$p/htdocs" ] || cp -pR "$src/$p/htdocs/." "$lt/www/"
        [ ! -d "$src/$p/root" ] || cp -pR "$src/$p/root/." "$lt/"
    done
    [ -f "$lt/www/cgi-bin/luci" ] && [ -f "$lt/usr/share/ucode/luci/uhttpd.uc" ] &&
        [ -f "$lt/usr/share/ucode/luci/version.uc" ] && [ -f "$lt/usr/lib/ucode/luci/core.so" ] &&
        [ -x "$lt/usr/bin/luci-bwc" ] ||
        { log "LuCI: the staged tree is incomplete"; return 1; }
    chmod 0755 "$lt/www/cgi-bin/luci"
    log "  LuCI done in $(elapsed "$t0") s"
}
