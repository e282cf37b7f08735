import * as std from 'std';

/**
 * Root prefix for every file and command the handler touches.
 *
 * On a router `OFFLOAD_ROOT` is unset and paths are used as they are. The
 * simulated router and the tests set it to a scenario directory that holds
 * `/proc`, `/sys`, `/etc` and stand-ins for `uci`, `fw4`, `nft` and
 * `conntrack`, so the same code runs against them unchanged.
 */
export const ROOT: string = (std.getenv('OFFLOAD_ROOT') ?? '').replace(/\/+$/, '');

/** Map an absolute router path into the root. */
export function rooted(path: string): string {
  return ROOT + path;
}

/** Directories searched for commands, in the order OpenWrt's PATH has them. */
export const BIN_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];
