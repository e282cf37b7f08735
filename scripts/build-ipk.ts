/**
 * `make ipk`: build dist/luci-app-offload_<version>-<release>_all.ipk without
 * the OpenWrt SDK, byte-for-byte reproducible (SOURCE_DATE_EPOCH, sorted
 * entries, owner 0/0, fixed modes, `gzip -n`). Metadata and maintainer scripts
 * come from luci-app-offload/Makefile, the version from package.json.
 *
 *   node build/scripts/build-ipk.mjs [--src luci-app-offload] [--out dist]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIpk } from './package/ipk';
import { readMeta, sourceDateEpoch } from './package/meta';
import { collectPackageFiles } from './package/tree';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: 'luci-app-offload' },
    out: { type: 'string', default: 'dist' },
    repo: { type: 'string', default: '.' },
  },
});
const repo = resolve(values.repo);
const pkgDir = resolve(repo, values.src);
const out = resolve(repo, values.out);

try {
  const meta = readMeta(repo, pkgDir);
  const { files, skipped } = collectPackageFiles(pkgDir);
  for (const s of skipped) console.log(`ipk: left out development file ${s}`);
  const ipk = buildIpk(meta, files, sourceDateEpoch(repo));
  mkdirSync(out, { recursive: true });
  const path = join(out, ipk.fileName);
  writeFileSync(path, ipk.bytes);
  console.log(`ipk: ${path} (${ipk.bytes.length} bytes, ${files.length} files, installed ${ipk.installedSize} bytes)`);
} catch (e) {
  console.error(`ipk: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
