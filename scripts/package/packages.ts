import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApk } from './apk';
import { tool, type PackageCli } from './cli';
import { buildIpk, type BuiltPackage } from './ipk';
import { readMeta, sourceDateEpoch } from './meta';
import { appSpec, i18nSpecs, type PackageSpec } from './spec';

/** The app and its translation packages, as an SDK build of the feed produces them. */
export function specs(cli: PackageCli): PackageSpec[] {
  const meta = readMeta(cli.repo, cli.pkgDir);
  if (cli.version !== undefined) meta.version = cli.version;
  return [appSpec(cli.repo, cli.pkgDir, meta), ...i18nSpecs(cli.repo, cli.pkgDir, tool(cli.tools, 'po2lmo'), meta)];
}

/** Build every package in one format and write it to `cli.out`; returns what was written. */
export function writePackages(cli: PackageCli, format: 'ipk' | 'apk'): BuiltPackage[] {
  const epoch = sourceDateEpoch(cli.repo);
  const apk = format === 'apk' ? tool(cli.tools, 'apk') : '';
  const built = specs(cli).map((s) => (format === 'ipk' ? buildIpk(s, epoch) : buildApk(s, epoch, apk)));
  mkdirSync(cli.out, { recursive: true });
  for (const b of built) {
    writeFileSync(join(cli.out, b.fileName), b.bytes);
    console.log(`${format}: ${join(cli.out, b.fileName)} (${b.bytes.length} bytes)`);
  }
  return built;
}
