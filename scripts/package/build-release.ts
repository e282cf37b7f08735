/**
 * `make release`: every artefact a user or firmware builder downloads, in one
 * directory with SHA256SUMS — the .ipk and .apk of the app and of each
 * translation, and the feed tarball (dist/feed/ is written too, as `make feed`).
 *
 *   node build/scripts/build-release.mjs [--out dist] [--tools DIR]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageCli, runStep } from './cli';
import { writeFeed } from './feed';
import { writePackages } from './packages';

const cli = packageCli();

runStep('release', () => {
  const files = [...writePackages(cli, 'ipk'), ...writePackages(cli, 'apk')].map((b) => b.fileName);
  const feed = writeFeed(cli.repo, cli.pkgDir, cli.out);
  files.push(basename(feed.tarball));
  files.sort();
  const sums = files.map((f) => `${createHash('sha256').update(readFileSync(join(cli.out, f))).digest('hex')}  ${f}\n`).join('');
  writeFileSync(join(cli.out, 'SHA256SUMS'), sums);
  process.stdout.write(`release: ${join(cli.out, 'SHA256SUMS')}\n${sums}`);
});
