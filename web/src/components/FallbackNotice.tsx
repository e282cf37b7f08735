import { t } from '../lib/i18n';

interface FallbackNoticeProps {
  /** fw4's and the kernel's own words, shown only behind "Details". */
  details: string[];
  /** The button that makes the configuration say Software; null hides it (read-only users). */
  fix: { onClick: () => void; disabled: boolean; busy: boolean; describedBy: string | undefined } | null;
}

/**
 * The hardware fallback in plain words, once: what runs and why, the raw
 * fw4/nft text behind a disclosure, and the one change that makes the
 * configuration match what runs (issue 16).
 */
export function FallbackNotice({ details, fix }: FallbackNoticeProps) {
  return (
    <div data-lo="fallback" id="lo-fallback">
      <p>
        {t("Hardware offloading is configured, but this router's network devices cannot offload these connections in hardware, so the firewall runs software offloading instead. Connections are still offloaded, by the CPU.")}
      </p>
      {fix && (
        <p>
          <button
            type="button"
            class="cbi-button cbi-button-action"
            data-lo="fallback-fix"
            disabled={fix.disabled}
            // Not `disabled` while busy: the button keeps keyboard focus during the apply.
            aria-disabled={fix.busy ? 'true' : undefined}
            aria-describedby={fix.describedBy}
            onClick={() => fix.busy || fix.onClick()}
          >
            {t('Set the configuration to Software (what actually runs)')}
          </button>
        </p>
      )}
      {details.length > 0 && (
        <details data-lo="fallback-details">
          <summary>{t('Details')}</summary>
          <ul>
            {details.map((d) => (
              <li key={d} class="lo-raw">
                {d}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
