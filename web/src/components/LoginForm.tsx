import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionModel } from '../models/SessionModel';
import { useStore } from '../lib/use-store';
import { t } from '../lib/i18n';

interface LoginFormProps {
  session: SessionModel;
  /** After an expiry: explain why, keep the page underneath. */
  expired: boolean;
}

/** Standalone login: first visit, and again when the session expired. */
export function LoginForm({ session, expired }: LoginFormProps) {
  const s = useStore(session.store);
  const [user, setUser] = useState(s.user ?? 'root');
  const [pass, setPass] = useState('');
  const passRef = useRef<HTMLInputElement>(null);
  const userRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Take focus; after a re-login give it back to where the user was. After a log-out the
    // button that had focus is gone: start at the first field, its text selected to type over.
    const before = document.activeElement as HTMLElement | null;
    if (s.loggedOut && !expired) {
      userRef.current?.focus();
      userRef.current?.select();
    } else passRef.current?.focus();
    return () => {
      if (expired && before && before !== document.body && before.isConnected) before.focus();
    };
  }, []);
  const submit = (e: Event): void => {
    e.preventDefault();
    void session.login(user, pass).then((ok) => ok || passRef.current?.focus());
  };
  return (
    <div
      class={`cbi-section lo-login${expired ? ' lo-login-expired' : ''}`}
      role={expired ? 'dialog' : undefined}
      aria-modal={expired ? 'true' : undefined}
      aria-labelledby="lo-login-h"
    >
      <h3 id="lo-login-h">{expired ? t('Session expired') : t('Log in to the router')}</h3>
      {expired && <p>{t('Your session has expired. Log in again to continue; the page keeps its data.')}</p>}
      {!expired && s.loggedOut && (
        <p class="alert-message notice" data-lo="logged-out">
          {s.loggedOut}
        </p>
      )}
      <form class="lo-login-fields" onSubmit={submit}>
        <label>
          <span>{t('Username')}</span>
          <input ref={userRef} class="cbi-input-text" name="username" autocomplete="username" value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} required />
        </label>
        <label>
          <span>{t('Password')}</span>
          <input
            ref={passRef}
            class="cbi-input-password"
            type="password"
            name="password"
            autocomplete="current-password"
            value={pass}
            onInput={(e) => setPass((e.target as HTMLInputElement).value)}
          />
        </label>
        <button class="cbi-button cbi-button-positive" type="submit" disabled={s.loggingIn}>
          {s.loggingIn ? t('Logging in…') : t('Log in')}
        </button>
      </form>
      <div role="alert" class="lo-login-error">
        {s.loginError && <p class="alert-message error">{s.loginError}</p>}
      </div>
    </div>
  );
}
