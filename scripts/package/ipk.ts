import { gzip } from './gzip';
import type { PackageSpec } from './spec';
import { sortEntries, writeTar, type TarEntry } from './tar';
import { dataEntries } from './tree';

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
export function controlText(spec: PackageSpec, epoch: number, installedSize: number): string {
  const fields: Array<[string, string]> = [
    ['Package', spec.name],
    ['Version', spec.ipkVersion],
    ['Depends', spec.depends.join(', ')],
    ['Source', spec.source],
    ['SourceName', spec.sourceName],
    ['License', spec.license],
    ['Section', spec.section],
    ['SourceDateEpoch', String(epoch)],
    ['URL', spec.url],
    ['Maintainer', spec.maintainer],
    ['Architecture', spec.arch],
    ['Installed-Size', String(installedSize)],
  ];
  // package-pack.mk: printf "Description: "; echo "$DESCRIPTION" | sed -e 's,^[[:space:]]*, ,g'
  const description = spec.description.split('\n').map((l) => ' ' + l.trim()).join('\n');
  return fields.filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`).join('\n') + `\nDescription: ${description}\n`;
}

export interface BuiltPackage {
  fileName: string;
  bytes: Buffer;
}

export interface BuiltIpk extends BuiltPackage {
  control: string;
  installedSize: number;
}

/** `<name>_<version>_<arch>.ipk`, as package-pack.mk names it. */
export function ipkFileName(spec: PackageSpec): string {
  return `${spec.name}_${spec.ipkVersion}_${spec.arch}.ipk`;
}

export function buildIpk(spec: PackageSpec, epoch: number): BuiltIpk {
  const dataTar = writeTar(sortEntries(dataEntries(spec.files)), epoch);
  const control = controlText(spec, epoch, dataTar.length);
  const controlEntries: TarEntry[] = [
    { name: './', mode: 0o755 },
    { name: './control', mode: 0o644, data: Buffer.from(control) },
    { name: './postinst', mode: 0o755, data: Buffer.from(wrapper('default_postinst')) },
    { name: './prerm', mode: 0o755, data: Buffer.from(wrapper('default_prerm')) },
  ];
  // BuildPackVariable: postinst → postinst-pkg, prerm → prerm-pkg, postrm as is (all 0755).
  if (spec.postinst !== undefined) controlEntries.push({ name: './postinst-pkg', mode: 0o755, data: Buffer.from(spec.postinst) });
  if (spec.prerm !== undefined) controlEntries.push({ name: './prerm-pkg', mode: 0o755, data: Buffer.from(spec.prerm) });
  if (spec.postrm !== undefined) controlEntries.push({ name: './postrm', mode: 0o755, data: Buffer.from(spec.postrm) });
  const outer = writeTar(
    [
      { name: './debian-binary', mode: 0o644, data: Buffer.from('2.0\n') },
      { name: './data.tar.gz', mode: 0o644, data: gzip(dataTar) },
      { name: './control.tar.gz', mode: 0o644, data: gzip(writeTar(sortEntries(controlEntries), epoch)) },
    ],
    epoch,
  );
  return { fileName: ipkFileName(spec), bytes: gzip(outer), control, installedSize: dataTar.length };
}
