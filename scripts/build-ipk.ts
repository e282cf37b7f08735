/**
 * `make ipk` / `make apk`: build the app and its translation packages without the
 * OpenWrt SDK, byte-for-byte reproducible (SOURCE_DATE_EPOCH, sorted entries,
 * owner 0/0, fixed modes, `gzip -n`; the .apk by the real `apk mkpkg`).
 * Metadata and maintainer scripts come from luci-app-offload/Makefile, the
 * version from package.json.
 *
 *   node build/scripts/build-ipk.mjs [--format ipk|apk] [--src luci-app-offload] [--out dist] [--tools DIR]
 */
import { packageCli, runStep } from './package/cli';
import { writePackages } from './package/packages';

const cli = packageCli();
runStep(cli.format, () => {
  if (cli.format !== 'ipk' && cli.format !== 'apk') throw new Error(`--format must be ipk or apk, not ${cli.format}`);
  writePackages(cli, cli.format);
});
