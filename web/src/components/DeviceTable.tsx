import type { DeviceInfo } from '../../../rpcd/src/api/contract';
import { problemText, roleName } from '../lib/describe';
import { carriedText, inFlowtableText } from '../lib/evidence';
import { t } from '../lib/i18n';

interface DeviceTableProps {
  devices: DeviceInfo[];
  /** The name of fw4's running flowtable (`ft`), so other flowtables covering a device are named. */
  fw4Flowtable: string | null;
}

/** The zones' devices, whether each is in the flowtable, and its problems in plain words. */
export function DeviceTable({ devices, fw4Flowtable }: DeviceTableProps) {
  if (!devices.length) return <p>{t('No devices found in the firewall zones.')}</p>;
  // Every cell carries its column's label: at phone width the theme hides the header row
  // and shows data-title before each cell instead (issue 12).
  const col = {
    device: t('Device'), role: t('Role'), zones: t('Zones'), ft: t('In flowtable'), hw: t('Hardware offload support'), problems: t('Problems'),
  };
  return (
    <div class="lo-scroll" tabIndex={0} role="region" aria-label={t('Devices')}>
      <table class="table lo-table" data-lo="devices-table">
        <caption class="lo-sr">{t('Devices')}</caption>
        <thead>
          <tr class="tr table-titles">
            {Object.entries(col).map(([k, label]) => (
              <th key={k} class="th" scope="col">{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.device} class={`tr${d.problems.length ? ' lo-problem' : ''}`} data-device={d.device}>
              <th class="td" scope="row" data-title={col.device}>{d.device}</th>
              <td class="td" data-title={col.role}>{roleName(d.role)}</td>
              <td class="td" data-title={col.zones}>{d.zones.join(', ') || '–'}</td>
              <td class="td" data-title={col.ft} data-lo="in-flowtable">{inFlowtableText(d, fw4Flowtable)}</td>
              <td class="td" data-title={col.hw}>{d.hw_tc_offload === null ? t('Unknown') : d.hw_tc_offload ? t('Yes') : t('No')}</td>
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
