import type { ComponentChildren } from 'preact';
import { t } from '../lib/i18n';

export type Tone = 'success' | 'warning' | 'error' | 'notice';

interface AlertProps {
  tone: Tone;
  children: ComponentChildren;
  details?: string[];
}

/** The word that says what the colour says, so colour is never the only signal. */
function toneWord(tone: Tone): string {
  return tone === 'success' ? t('Done:') : tone === 'warning' ? t('Warning:') : tone === 'error' ? t('Error:') : t('Note:');
}

/** A LuCI `alert-message` box with a leading word for its tone. */
export function Alert({ tone, children, details }: AlertProps) {
  return (
    <div class={`alert-message ${tone} lo-alert`}>
      <p>
        <strong>{toneWord(tone)}</strong> {children}
      </p>
      {details && details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
