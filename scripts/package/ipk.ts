import { FEED_NAME, fullVersion, type PackageMeta } from './meta';
import { script } from './makefile';
import { gzip } from './gzip';
import { sortEntries, writeTar, type TarEntry } from './tar';
import { dataEntries, type PackageFile } from './tree';

/**
 * An .ipk as OpenWrt's `scripts/ipkg-build` makes it (openwrt/openwrt, used by
 * include/package-pack.mk for opkg builds): a gzip'd GNU tar holding
 * `./debian-binary`, `./data.tar.gz`, `./control.tar.gz` in that order — not
 * an `ar` archive as on Debian.
 */

/** The `postinst` / `prerm` wrappers package-pack.mk writes for every package; they call base-files' default_postinst / default_prerm, which source our `*-pkg` scripts. */
export function wrapper(fn: 'default_postinst' | 'default_prerm'): string {
  const lines = ['#!/bin/sh'];
  if (fn === 'default_postinst') lines.push('[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0');
  lines.push('[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0', '. ${IPKG_INSTROOT}/lib/functions.sh', `${fn} $0 $@`);
  return lines.join('\n') + '\n';
}

/** The control file, fields in package-pack.mk's order; Installed-Size is the uncompressed data tar's size (ipkg-build). */
export function controlText(meta: PackageMeta, epoch: number, installedSize: number): string {
  const fields: Array<[string, string]> = [
    ['Package', meta.name],
    ['Version', fullVersion(meta)],
    ['Depends', meta.depends.join(', ')],
    ['Source', `feeds/${FEED_NAME}/${meta.name}`],
    ['SourceName', meta.name],
    ['License', meta.license],
    ['Section', meta.section],
    ['SourceDateEpoch', String(epoch)],
    ['Maintainer', meta.maintainer],
    ['Architecture', meta.arch],
    ['Installed-Size', String(installedSize)],
  ];
  // package-pack.mk: printf "Description: "; echo "$DESCRIPTION" | sed -e 's,^[[:space:]]*, ,g'
  const description = meta.description.split('\n').map((l) => ' ' + l.trim()).join('\n');
  return fields.map(([k, v]) => `${k}: ${v}`).join('\n') + `\nDescription: ${description}\n`;
}

export interface BuiltIpk {
  fileName: string;
  bytes: Buffer;
  control: string;
  installedSize: number;
}

export function buildIpk(meta: PackageMeta, files: readonly PackageFile[], epoch: number): BuiltIpk {
  const dataTar = writeTar(sortEntries(dataEntries(files)), epoch);
  const control = controlText(meta, epoch, dataTar.length);
  const pkg = `Package/${meta.name}`;
  const controlEntries: TarEntry[] = [
    { name: './', mode: 0o755 },
    { name: './control', mode: 0o644, data: Buffer.from(control) },
    { name: './postinst', mode: 0o755, data: Buffer.from(wrapper('default_postinst')) },
    { name: './postinst-pkg', mode: 0o755, data: Buffer.from(script(meta.recipe, `${pkg}/postinst`)) },
    { name: './postrm', mode: 0o755, data: Buffer.from(script(meta.recipe, `${pkg}/postrm`)) },
    { name: './prerm', mode: 0o755, data: Buffer.from(wrapper('default_prerm')) },
  ];
  const outer = writeTar(
    [
      { name: './debian-binary', mode: 0o644, data: Buffer.from('2.0\n') },
      { name: './data.tar.gz', mode: 0o644, data: gzip(dataTar) },
      { name: './control.tar.gz', mode: 0o644, data: gzip(writeTar(sortEntries(controlEntries), epoch)) },
    ],
    epoch,
  );
  return {
    fileName: `${meta.name}_${fullVersion(meta)}_${meta.arch}.ipk`,
    bytes: gzip(outer),
    control,
    installedSize: dataTar.length,
  };
}
