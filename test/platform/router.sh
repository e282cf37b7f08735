#!/usr/bin/env bash
# test/platform/router.sh — the real OpenWrt userland (scripts/platform/build.sh)
# started as a router inside private namespaces. Interface: test/platform/README.md.
#
#   router.sh start DIR [--pkg PKGDIR]... [--luci] [--port N] [--timeout S] [--no-netifd] [--no-fw4]
#   router.sh exec  DIR CMD [ARG...]     run CMD inside the router (namespaces + chroot)
#   router.sh stop  DIR                  kill everything, leave nothing mounted or running
#   router.sh status DIR                 exit 0 when the router is running (prints its info)
#
# Namespaces: one init (bash, pid 1 of a new pid namespace) lives in private
# mount, network and pid namespaces (`unshare -m -n -p -f`), chroots every daemon
# into DIR and keeps the namespaces alive. ubusd, netifd -S, rpcd run in the
# private network namespace; uhttpd runs in the same mount/pid namespaces and
# chroot but is placed into the host's network namespace (the init holds it open
# on fd 7) and listens on 127.0.0.1:PORT only, so the test process on the host
# reaches http://127.0.0.1:PORT/ubus directly. uhttpd talks to ubusd over the
# unix socket DIR/var/run/ubus/ubus.sock (a file: no network namespace involved).
# The host's ruleset, files (outside DIR) and processes are never touched.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
ROOT=$(cd "$HERE/../.." && pwd -P)
ROOTFS_TEMPLATE="$HERE/root"
LUCI_ROOT_TEMPLATE="$HERE/luci-root"
ROUTER_PATH=/usr/sbin:/usr/bin:/sbin:/bin
MULTIARCH=x86_64-linux-gnu

log() { printf 'router: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# ---------------------------------------------------------------------------------------------
# helpers on the host side

state_dir() { printf '%s/.router\n' "$1"; }

# init_pid DIR → host pid of the router's init, when it is alive
init_pid() {
    local s pid
    s=$(state_dir "$1")
    [ -f "$s/pid" ] || return 1
    pid=$(cat "$s/pid")
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    # the same process (not a recycled pid): its marker environment names this DIR
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "ROUTER_DIR=$1" || return 1
    printf '%s\n' "$pid"
}

free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        # /proc/net/tcp lists local ports in hex; skip any port in use on the host
        if ! awk -v h="$(printf ':%04X' "$p")" 'NR > 1 && index($2, h) == length($2) - 4 { f = 1 } END { exit !f }' \
            /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

copy_pkg() { # copy_pkg PKGDIR DIR — lay a LuCI package out the way luci.mk installs it
    local pkg=$1 dir=$2 any=0
    [ -d "$pkg" ] || die "--pkg $pkg: not a directory"
    if [ -d "$pkg/root" ]; then cp -a "$pkg/root/." "$dir/"; any=1; fi
    if [ -d "$pkg/htdocs" ]; then mkdir -p "$dir/www" && cp -a "$pkg/htdocs/." "$dir/www/"; any=1; fi
    if [ -d "$pkg/ucode" ]; then
        mkdir -p "$dir/usr/share/ucode/luci" && cp -a "$pkg/ucode/." "$dir/usr/share/ucode/luci/"
        any=1
    fi
    [ "$any" = 1 ] || die "--pkg $pkg: has none of root/ htdocs/ ucode/"
    # rpcd needs the exec plugins executable (a built handler is; a fresh checkout may not be)
    if [ -d "$dir/usr/libexec/rpcd" ]; then
        find "$dir/usr/libexec/rpcd" -maxdepth 1 -type f -exec chmod 0755 {} +
    fi
}

host_tool() { # host_tool NAME DEST — copy a host binary into the root (libs come from the bind mount)
    local src
    src=$(command -v "$1" 2>/dev/null) || { log "note: $1 not on the host; not in the router"; return 0; }
    install -D -m 0755 "$(readlink -f "$src")" "$2"
}

assemble() { # assemble DIR STAGE QJS LUCI
    local dir=$1 stage=$2 qjs=$3 luci=$4 a
    log "assembling the root in $dir"
    cp -a "$stage/." "$dir/"
    # real LuCI (scripts/platform/luci.sh): its tree over the root, as its packages would install
    if [ "$luci" = 1 ]; then
        [ -d "$dir/usr/share/platform/luci/www" ] || die "--luci: no LuCI in the stage ($stage)"
        cp -a "$dir/usr/share/platform/luci/." "$dir/"
        [ ! -d "$LUCI_ROOT_TEMPLATE" ] || cp -a -n "$LUCI_ROOT_TEMPLATE/." "$dir/"
    fi
    rm -rf "$dir/usr/share/platform/luci"
    # static busybox: /bin/sh and every applet that no OpenWrt program in the stage provides
    install -m 0755 "$BUSYBOX" "$dir/bin/busybox"
    for a in $("$BUSYBOX" --list); do
        case "$a" in busybox) continue ;; esac
        [ -e "$dir/bin/$a" ] || [ -e "$dir/sbin/$a" ] || [ -e "$dir/usr/bin/$a" ] || [ -e "$dir/usr/sbin/$a" ] ||
            ln -s busybox "$dir/bin/$a"
    done
    [ -e "$dir/usr/bin/env" ] || ln -s ../../bin/busybox "$dir/usr/bin/env"   # as on OpenWrt (#!/usr/bin/env ucode)
    # host programs OpenWrt has and busybox lacks (flock for fw4; nft; the handler's tools)
    host_tool nft "$dir/usr/sbin/nft"
    host_tool flock "$dir/usr/bin/flock"
    host_tool conntrack "$dir/usr/sbin/conntrack"
    host_tool ethtool "$dir/usr/sbin/ethtool"
    install -m 0755 "$qjs" "$dir/usr/bin/qjs"
    # host glibc and shared libraries: bind-mounted read-only at start (mount point here)
    mkdir -p "$dir/usr/lib/$MULTIARCH" "$dir/lib64"
    ln -sfn "../usr/lib/$MULTIARCH" "$dir/lib/$MULTIARCH"
    ln -sfn "/usr/lib/$MULTIARCH/ld-linux-x86-64.so.2" "$dir/lib64/ld-linux-x86-64.so.2"
    printf '/usr/lib\n/usr/lib/%s\n' "$MULTIARCH" >"$dir/etc/ld.so.conf"
    # OpenWrt's layout: /var -> /tmp
    mkdir -p "$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp" "$dir/root" "$dir/www" "$dir/etc/config" \
        "$dir/usr/libexec/rpcd" "$dir/usr/share/rpcd/acl.d"
    chmod 1777 "$dir/tmp"
    if [ ! -L "$dir/var" ]; then rm -rf "$dir/var"; ln -s tmp "$dir/var"; fi
    # scratch files: the template (test/platform/root), never overwriting what the caller put there
    cp -a -n "$ROOTFS_TEMPLATE/." "$dir/"
    chmod 0600 "$dir/etc/shadow"
    [ -e "$dir/etc/config/firewall" ] || cp "$stage/usr/share/platform/defaults/firewall" "$dir/etc/config/firewall"
}

cmd_start() {
    local dir= port="${ROUTER_PORT:-}" timeout="${ROUTER_RPCD_TIMEOUT:-30}" netifd=1 fw4=1 luci="${ROUTER_LUCI:-0}" pkgs=() stage qjs
    while [ "$#" -gt 0 ]; do
        case "$1" in
            --pkg) pkgs+=("$2"); shift 2 ;;
            --port) port=$2; shift 2 ;;
            --timeout) timeout=$2; shift 2 ;;
            --no-netifd) netifd=0; shift ;;
            --no-fw4) fw4=0; shift ;;
            --luci) luci=1; shift ;;
            -*) die "start: unknown option $1" ;;
            *) [ -z "$dir" ] || die "start: one DIR only"; dir=$1; shift ;;
        esac
    done
    [ -n "$dir" ] || die "usage: router.sh start DIR [--pkg PKGDIR]... [--luci] [--port N] [--timeout S] [--no-netifd] [--no-fw4]"
    [ "$(id -u)" = 0 ] || die "needs root (unshare -m -n -p)"
    dir=$(abs_dir "$dir")
    [ "$dir" != / ] || die "DIR must not be /"
    local pkg_abs=() p
    for p in "${pkgs[@]}"; do pkg_abs+=("$(cd "$p" && pwd -P)"); done
    if init_pid "$dir" >/dev/null; then die "a router is already running in $dir (router.sh stop $dir)"; fi

    "$ROOT/scripts/ensure-debs.sh" nftables busybox-static util-linux iproute2 conntrack ethtool >&2
    BUSYBOX=/bin/busybox
    "$BUSYBOX" --list >/dev/null 2>&1 || die "no working static busybox at $BUSYBOX"
    stage=${PLATFORM_STAGE:-}
    [ -n "$stage" ] || stage=$("$ROOT/scripts/platform/build.sh" | tail -n 1)
    [ -x "$stage/sbin/rpcd" ] || die "no staged platform in '$stage' (scripts/platform/build.sh)"
    qjs=$("$ROOT/scripts/ensure-qjs.sh" | tail -n 1)

    local s; s=$(state_dir "$dir")
    rm -rf "$s" "$dir/tmp"
    mkdir -p "$s"
    assemble "$dir" "$stage" "$qjs" "$luci"
    for p in "${pkg_abs[@]}"; do log "installing package $p"; copy_pkg "$p" "$dir"; done
    if [ "$netifd" = 1 ] && [ ! -x "$dir/sbin/netifd" ]; then
        log "warning: no netifd in the stage; starting without it"
        netifd=0
    fi
    [ -n "$port" ] || port=$(free_port) || die "no free loopback port found"
    [[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be whole seconds"

    log "starting the router (port 127.0.0.1:$port, rpcd -t $timeout, netifd=$netifd, fw4=$fw4)"
    # fd 7: the host's network namespace, for uhttpd
    (
        exec 7</proc/self/ns/net
        export ROUTER_DIR=$dir ROUTER_PORT_=$port ROUTER_TIMEOUT=$timeout ROUTER_NETIFD=$netifd ROUTER_FW4=$fw4 \
            ROUTER_LUCI=$luci
        exec setsid unshare --mount --net --pid --fork --propagation private -- \
            "$SELF" __init "$dir" </dev/null >"$s/init.log" 2>&1
    ) &
    local i pid
    for i in $(seq 1 300); do  # ≤ 30 s
        if [ -f "$s/ready" ]; then break; fi
        if [ -f "$s/failed" ]; then break; fi
        if ! kill -0 $! 2>/dev/null; then break; fi
        sleep 0.1
    done
    if [ ! -f "$s/ready" ]; then
        log "the router did not come up; init log ($s/init.log):"
        sed 's/^/  | /' "$s/init.log" >&2 || true
        cmd_stop "$dir" >/dev/null 2>&1 || true
        exit 1
    fi
    pid=$(init_pid "$dir") || die "init vanished"
    cmd_status "$dir"
}

cmd_status() {
    local dir pid s
    dir=$(cd "$1" 2>/dev/null && pwd -P) || return 1
    s=$(state_dir "$dir")
    pid=$(init_pid "$dir") || return 1
    [ -f "$s/ready" ] || return 1
    cat "$s/info"
}

cmd_exec() {
    local dir pid
    [ "$#" -ge 2 ] || die "usage: router.sh exec DIR CMD [ARG...]"
    dir=$(cd "$1" && pwd -P) || die "no such DIR $1"
    shift
    pid=$(init_pid "$dir") || die "no router running in $dir"
    exec nsenter -t "$pid" -m -n -p -- chroot "$dir" /bin/env -i PATH="$ROUTER_PATH" HOME=/root \
        TERM=dumb "$@"
}

cmd_stop() {
    local dir pid i s
    dir=$(cd "$1" 2>/dev/null && pwd -P) || { log "no such DIR $1"; return 0; }
    s=$(state_dir "$dir")
    if pid=$(init_pid "$dir"); then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
        if [ -d "/proc/$pid" ]; then
            log "init $pid did not stop on TERM; SIGKILL (kills its whole pid namespace)"
            kill -KILL "$pid" 2>/dev/null || true
            for i in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
        fi
        [ ! -d "/proc/$pid" ] || die "init $pid is still alive"
    fi
    rm -f "$s/pid" "$s/ready" "$s/info"
    # the mounts lived only in the router's mount namespace; nothing is mounted on the host
    if grep -qF " $dir/" /proc/self/mountinfo; then
        log "warning: something is mounted under $dir on the host"
        return 1
    fi
    log "stopped $dir"
}

# ---------------------------------------------------------------------------------------------
# inside the namespaces: pid 1

in_root() { chroot "$ROUTER_DIR" /bin/env -i PATH="$ROUTER_PATH" HOME=/root "$@"; }
bg_root() { (exec chroot "$ROUTER_DIR" /bin/env -i PATH="$ROUTER_PATH" HOME=/root "$@") & }

init_main() {
    local dir=$1 s pids=() hp
    s=$(state_dir "$dir")
    # /proc is still the host's procfs here, so /proc/self names this shell's host pid
    read -r hp _ </proc/self/stat
    printf '%s\n' "$hp" >"$s/pid"

    fail() { log "init: $*"; touch "$s/failed"; exit 1; }
    shutdown() {
        local p
        for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
        sleep 0.2
        exit 0
    }
    trap shutdown TERM INT

    # mounts (private to this mount namespace; gone with it)
    mount --bind "/usr/lib/$MULTIARCH" "$dir/usr/lib/$MULTIARCH" || fail "bind libs"
    mount -o remount,bind,ro "$dir/usr/lib/$MULTIARCH" || fail "remount libs ro"
    mount -t proc -o nosuid,nodev,noexec proc "$dir/proc" || fail "mount proc"
    mount -t sysfs -o nosuid,nodev,noexec,ro sysfs "$dir/sys" || fail "mount sysfs"
    mount -t tmpfs -o nosuid,mode=0755,size=1m tmpfs "$dir/dev" || fail "mount /dev"
    mknod -m 0666 "$dir/dev/null" c 1 3 && mknod -m 0666 "$dir/dev/zero" c 1 5 &&
        mknod -m 0666 "$dir/dev/full" c 1 7 && mknod -m 0666 "$dir/dev/random" c 1 8 &&
        mknod -m 0666 "$dir/dev/urandom" c 1 9 && mknod -m 0666 "$dir/dev/tty" c 5 0 || fail "mknod"
    ln -s /proc/self/fd "$dir/dev/fd"
    ln -s /proc/self/fd/0 "$dir/dev/stdin"
    ln -s /proc/self/fd/1 "$dir/dev/stdout"
    ln -s /proc/self/fd/2 "$dir/dev/stderr"
    mkdir -p "$dir/dev/shm" "$dir/tmp/run/ubus" "$dir/tmp/lock" "$dir/tmp/log" "$dir/tmp/state"
    ldconfig -r "$dir" 2>/dev/null || fail "ldconfig"

    ip link set lo up || fail "lo up"

    # first boot: /etc/uci-defaults/* as OpenWrt's /etc/init.d/boot runs them (LuCI's themes
    # register themselves in /etc/config/luci this way); a script that succeeds is removed
    if [ -d "$dir/etc/uci-defaults" ]; then
        in_root /bin/sh -c 'cd /etc/uci-defaults && for f in *; do [ -f "$f" ] || continue; ( . "./$f" ) </dev/null >/dev/null 2>&1 && rm -f "$f"; done' ||
            log "init: uci-defaults failed"
    fi

    bg_root /sbin/ubusd -s /var/run/ubus/ubus.sock
    pids+=($!)
    local i
    for i in $(seq 1 100); do [ -S "$dir/var/run/ubus/ubus.sock" ] && break; sleep 0.05; done
    [ -S "$dir/var/run/ubus/ubus.sock" ] || fail "ubusd did not create its socket"
    # the socket file appears at bind(), before listen(): a client connecting in between is
    # refused, and netifd/rpcd give up at once ("Failed to connect to ubus") — wait until a
    # client really connects (seen when several routers start together on a busy host)
    for i in $(seq 1 100); do in_root ubus -t 1 list >/dev/null 2>&1 && break; sleep 0.05; done

    if [ "$ROUTER_NETIFD" = 1 ]; then
        bg_root /sbin/netifd -S
        pids+=($!)
        in_root ubus -t 10 wait_for network.interface network.device || fail "netifd did not register"
    fi

    bg_root /sbin/rpcd -s /var/run/ubus/ubus.sock -t "$ROUTER_TIMEOUT"
    pids+=($!)
    in_root ubus -t 10 wait_for session uci file || fail "rpcd did not register session/uci/file"

    if [ "$ROUTER_NETIFD" = 1 ]; then
        # until every interface with a device has an l3_device (netifd brings them up async)
        for i in $(seq 1 50); do
            in_root ubus call network.interface dump 2>/dev/null | grep -q '"l3_device"' && break
            sleep 0.1
        done
        # the far ends of netifd's veth pairs (no interface uses them): up, so lan/wan get carrier
        local d
        for d in "$dir"/sys/class/net/*; do
            [ "$(cat "$d/operstate" 2>/dev/null)" = down ] && ip link set "${d##*/}" up 2>/dev/null || true
        done
    fi

    if [ "$ROUTER_FW4" = 1 ]; then
        in_root /sbin/fw4 -q start >"$s/fw4-start.log" 2>&1 || log "init: fw4 start exited $? (see $s/fw4-start.log)"
    fi

    # uhttpd: this chroot and pid namespace, the host's network namespace (fd 7), loopback only;
    # with LuCI also luci-base's ucode_prefix (/cgi-bin/luci=/usr/share/ucode/luci/uhttpd.uc)
    local luci_args=()
    [ "$ROUTER_LUCI" != 1 ] || luci_args=(-x /cgi-bin -o /cgi-bin/luci -O /usr/share/ucode/luci/uhttpd.uc)
    nsenter --net=/proc/self/fd/7 -- chroot "$dir" /bin/env -i PATH="$ROUTER_PATH" HOME=/root \
        /usr/sbin/uhttpd -f -h /www -r router -u /ubus -p "127.0.0.1:$ROUTER_PORT_" \
        -t 60 -T 30 -k 20 -A 1 -n 16 -N 100 "${luci_args[@]}" &
    pids+=($!)
    local ok=0
    for i in $(seq 1 100); do
        if nsenter --net=/proc/self/fd/7 -- curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$ROUTER_PORT_/"; then
            ok=1; break
        fi
        kill -0 "${pids[-1]}" 2>/dev/null || break
        sleep 0.05
    done
    exec 7<&-
    [ "$ok" = 1 ] || fail "uhttpd is not listening on 127.0.0.1:$ROUTER_PORT_"

    {
        printf 'dir=%s\n' "$dir"
        printf 'pid=%s\n' "$hp"
        printf 'port=%s\n' "$ROUTER_PORT_"
        printf 'url=http://127.0.0.1:%s/ubus\n' "$ROUTER_PORT_"
        printf 'rpcd_timeout=%s\n' "$ROUTER_TIMEOUT"
        printf 'netifd=%s\n' "$ROUTER_NETIFD"
        printf 'fw4=%s\n' "$ROUTER_FW4"
        printf 'luci=%s\n' "$ROUTER_LUCI"
        [ "$ROUTER_LUCI" != 1 ] || printf 'luci_url=http://127.0.0.1:%s/cgi-bin/luci\n' "$ROUTER_PORT_"
    } >"$s/info"
    touch "$s/ready"
    log "init: ready"

    # stay alive (pid 1 of the namespace); reap whatever gets reparented to us
    while :; do
        sleep 3600 &
        wait $! || true
    done
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    exec) shift; cmd_exec "$@" ;;
    stop) shift; [ "$#" = 1 ] || die "usage: router.sh stop DIR"; cmd_stop "$1" ;;
    status) shift; [ "$#" = 1 ] || die "usage: router.sh status DIR"; cmd_status "$1" ;;
    __init) shift; init_main "$1" ;;
    *) sed -n '2,9p' "$SELF" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
