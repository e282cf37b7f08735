import type { DeviceInfo } from '../../../rpcd/src/api/contract';
import { problemText, roleName } from '../lib/describe';
import { carriedText, inFlowtableText } from '../lib/evidence';
import { t } from '../lib/i18n';

interface DeviceTableProps {
  devices: DeviceInfo[];
  /** The name of fw4's running flowtable (`ft`), so other flowtables covering a device are named. */
  fw4Flowtable: string | null;
  /** The running ruleset could not be read (fw3, no nft): whether a device is in a flowtable is not known. */
  rulesetUnknown?: boolean;
}

/** The zones' devices, whether each is in the flowtable, and its problems in plain words. */
export function DeviceTable({ devices, fw4Flowtable, rulesetUnknown = false }: DeviceTableProps) {
  if (!devices.length) return <p>{t('No devices found in the firewall zones.')}</p>;
  // Every cell carries its column's label: up to 800 px (openwrt-2020's own breakpoint) each row is
  // a card that shows data-title before each value (app.css; issue 12, issue 16). At wide widths the
  // short columns (lo-fit) shrink to their values and Problems takes the rest (issue 16).
  const col = {
    device: t('Device'), role: t('Role'), zones: t('Zones'), ft: t('In flowtable'), hw: t('Hardware offload support'), problems: t('Problems'),
  };
  return (
    <div class="lo-scroll" tabIndex={0} role="region" aria-label={t('Devices')}>
      <table class="table lo-table lo-devices" data-lo="devices-table">
        <caption class="lo-sr">{t('Devices')}</caption>
        <thead>
          <tr class="tr table-titles">
            {Object.entries(col).map(([k, label]) => (
              <th key={k} class={k === 'problems' ? 'th' : 'th lo-fit'} scope="col">{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.device} class={`tr${d.problems.length ? ' lo-problem' : ''}`} data-device={d.device}>
              <th class="td lo-fit" scope="row" data-title={col.device}>{d.device}</th>
              <td class="td lo-fit" data-title={col.role}>{roleName(d.role)}</td>
              <td class="td lo-fit" data-title={col.zones}>{d.zones.join(', ') || '–'}</td>
              <td class="td lo-fit" data-title={col.ft} data-lo="in-flowtable">{rulesetUnknown ? t('Unknown') : inFlowtableText(d, fw4Flowtable)}</td>
              <td class="td lo-fit" data-title={col.hw}>{d.hw_tc_offload === null ? t('Unknown') : d.hw_tc_offload ? t('Yes') : t('No')}</td>
              <td class="td" data-title={col.problems}>
                {d.problems.length === 0
                  ? carriedText(d) ?? t('None')
                  : d.problems.map((p) => (
                      <span key={p} class="lo-problem-text">
                        <strong>{t('Problem:')}</strong> {problemText(p)}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
