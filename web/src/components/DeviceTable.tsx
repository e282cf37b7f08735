import type { DeviceInfo } from '../../../rpcd/src/api/contract';
import { problemText, roleName } from '../lib/describe';
import { t } from '../lib/i18n';

interface DeviceTableProps {
  devices: DeviceInfo[];
}

/** The zones' devices, whether each is in the flowtable, and its problems in plain words. */
export function DeviceTable({ devices }: DeviceTableProps) {
  if (!devices.length) return <p>{t('No devices found in the firewall zones.')}</p>;
  return (
    <div class="lo-scroll" tabIndex={0} role="region" aria-label={t('Devices')}>
      <table class="table lo-table">
        <caption class="lo-sr">{t('Devices')}</caption>
        <thead>
          <tr class="tr table-titles">
            <th class="th" scope="col">{t('Device')}</th>
            <th class="th" scope="col">{t('Role')}</th>
            <th class="th" scope="col">{t('Zones')}</th>
            <th class="th" scope="col">{t('In flowtable')}</th>
            <th class="th" scope="col">{t('Hardware offload support')}</th>
            <th class="th" scope="col">{t('Problems')}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.device} class={`tr${d.problems.length ? ' lo-problem' : ''}`} data-device={d.device}>
              <th class="td" scope="row">{d.device}</th>
              <td class="td">{roleName(d.role)}</td>
              <td class="td">{d.zones.join(', ') || '–'}</td>
              <td class="td">{d.in_flowtable ? t('Yes') : t('No')}</td>
              <td class="td">{d.hw_tc_offload === null ? t('Unknown') : d.hw_tc_offload ? t('Yes') : t('No')}</td>
              <td class="td">
                {d.problems.length === 0
                  ? t('None')
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
