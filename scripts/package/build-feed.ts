/**
 * `make feed`: the OpenWrt package feed in dist/feed/ and its reproducible
 * tarball dist/luci-app-offload-feed-<version>.tar.gz (see scripts/package/feed.ts).
 *
 *   node build/scripts/build-feed.mjs [--src luci-app-offload] [--out dist]
 */
import { writeFeed } from './feed';
import { packageCli, runStep } from './cli';

const { repo, pkgDir, out } = packageCli();

runStep('feed', () => {
  const r = writeFeed(repo, pkgDir, out);
  console.log(`feed: ${r.feedDir} (${r.packageFiles} package files), ${r.tarball} (${r.tarballBytes} bytes)`);
});
