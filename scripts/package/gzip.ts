import { spawnSync } from 'node:child_process';

/**
 * gzip a buffer with GNU gzip and `-n`: no file name, no timestamp. The packages
 * use gzip's default level, as OpenWrt's ipkg-build does (`gzip -n`), so an .ipk
 * has the bytes an SDK build gives; the feed tarball, which no OpenWrt tool
 * makes, uses `-9`. GNU gzip rather than node:zlib because its output depends
 * only on its version and level — node's bundled (Chromium) zlib may choose
 * different matches on CPUs with different SIMD support, which would break
 * byte-for-byte reproducibility across machines.
 */
export function gzip(data: Buffer, level?: 9): Buffer {
  const r = spawnSync('gzip', ['-n', ...(level ? [`-${level}`] : []), '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`gzip: ${r.error.message} (GNU gzip is needed to build packages)`);
  if (r.status !== 0) throw new Error(`gzip exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}
