/**
 * `make feed`: the OpenWrt package feed in dist/feed/ and its reproducible
 * tarball dist/luci-app-offload-feed-<version>.tar.gz (see scripts/package/feed.ts).
 *
 *   node build/scripts/build-feed.mjs [--src luci-app-offload] [--out dist]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFeed } from './feed';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: 'luci-app-offload' },
    out: { type: 'string', default: 'dist' },
    repo: { type: 'string', default: '.' },
  },
});
const repo = resolve(values.repo);

try {
  const r = writeFeed(repo, resolve(repo, values.src), resolve(repo, values.out));
  console.log(`feed: ${r.feedDir} (${r.packageFiles} package files), ${r.tarball} (${r.tarballBytes} bytes)`);
} catch (e) {
  console.error(`feed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
