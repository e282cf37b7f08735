import { pct } from '../lib/format';
import { t, fmt } from '../lib/i18n';

interface CpuCoresProps {
  cores: { busy: number; softirq: number }[];
}

/** One bar per core: softirq part and other busy part, with the numbers in text. */
export function CpuCores({ cores }: CpuCoresProps) {
  if (!cores.length) return null;
  return (
    <ul class="lo-cores" aria-label={t('CPU load per core')}>
      {cores.map((c, i) => (
        <li key={i} data-lo={`core-${i}`}>
          <span class="lo-core-name">{fmt(t('Core %d'), i)}</span>
          <span class="lo-bar" aria-hidden="true">
            <span class="lo-bar-soft" style={{ width: `${Math.min(100, c.softirq)}%` }} />
            <span class="lo-bar-busy" style={{ width: `${Math.max(0, Math.min(100, c.busy) - Math.min(100, c.softirq))}%` }} />
          </span>
          <span class="lo-core-val">{fmt(t('%s busy, %s softirq'), pct(c.busy), pct(c.softirq))}</span>
        </li>
      ))}
    </ul>
  );
}
