/**
 * `make ipk`: build dist/luci-app-offload_<version>-<release>_all.ipk without
 * the OpenWrt SDK, byte-for-byte reproducible (SOURCE_DATE_EPOCH, sorted
 * entries, owner 0/0, fixed modes, `gzip -n`). Metadata and maintainer scripts
 * come from luci-app-offload/Makefile, the version from package.json.
 *
 *   node build/scripts/build-ipk.mjs [--src luci-app-offload] [--out dist]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIpk } from './package/ipk';
import { readMeta, sourceDateEpoch } from './package/meta';
import { collectPackageFiles } from './package/tree';
import { packageCli, runStep } from './package/cli';

const { repo, pkgDir, out } = packageCli();

runStep('ipk', () => {
  const meta = readMeta(repo, pkgDir);
  const { files, skipped } = collectPackageFiles(pkgDir);
  for (const s of skipped) console.log(`ipk: left out development file ${s}`);
  const ipk = buildIpk(meta, files, sourceDateEpoch(repo));
  mkdirSync(out, { recursive: true });
  const path = join(out, ipk.fileName);
  writeFileSync(path, ipk.bytes);
  console.log(`ipk: ${path} (${ipk.bytes.length} bytes, ${files.length} files, installed ${ipk.installedSize} bytes)`);
});
