import { spawnSync } from 'node:child_process';

/**
 * gzip a buffer the way OpenWrt's ipkg-build does (`gzip -n`, the default level
 * 6): no file name, no timestamp, the same bytes as an SDK build. GNU gzip is used rather than node:zlib because its output depends
 * only on its version and level — node's bundled (Chromium) zlib may choose
 * different matches on CPUs with different SIMD support, which would break
 * byte-for-byte reproducibility across machines.
 */
export function gzip(data: Buffer): Buffer {
  const r = spawnSync('gzip', ['-n', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`gzip: ${r.error.message} (GNU gzip is needed to build packages)`);
  if (r.status !== 0) throw new Error(`gzip exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}
