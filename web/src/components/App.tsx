import { useEffect, useErrorBoundary, useRef, useState } from 'preact/hooks';
import type { AppModel } from '../models/AppModel';
import { useStore } from '../lib/use-store';
import { detectDark } from '../lib/theme';
import { t, fmt } from '../lib/i18n';
import { stateName } from '../lib/describe';
import { summaryProblems } from '../lib/summary';
import { Alert } from './Alert';
import { ConnectionBar } from './ConnectionBar';
import { FlowsTable } from './FlowsTable';
import { LiveView } from './LiveView';
import { LoginForm } from './LoginForm';
import { ModeSwitch } from './ModeSwitch';
import { ReportTools } from './ReportTools';
import { Savings } from './Savings';
import { StateCard } from './StateCard';
import { SummaryStrip } from './SummaryStrip';

interface AppProps {
  app: AppModel;
}

/** Follow the theme: html[data-darkmode] changes and the system colour scheme. */
function useDark(ref: { current: Element | null }): boolean | null {
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => {
    const update = (): void => setDark(ref.current ? detectDark(ref.current.parentElement ?? ref.current) : null);
    update();
    // LuCI attaches the view after mount(): judge the background again once it is in the page.
    const late = setTimeout(update, 300);
    const mo = typeof MutationObserver !== 'undefined' ? new MutationObserver(update) : null;
    mo?.observe(document.documentElement, { attributes: true, attributeFilter: ['data-darkmode', 'class'] });
    const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    mq?.addEventListener?.('change', update);
    return () => {
      clearTimeout(late);
      mo?.disconnect();
      mq?.removeEventListener?.('change', update);
    };
  }, []);
  return dark;
}

/** The whole panel; a rendering failure is shown, never a silently empty page. */
export function App({ app }: AppProps) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="lo-root">
        <Alert tone="error">{fmt(t('The panel failed: %s'), error instanceof Error ? error.message : String(error))}</Alert>
        <button type="button" class="cbi-button cbi-button-action" onClick={reset}>
          {t('Retry')}
        </button>
      </div>
    );
  }
  return <Panel app={app} />;
}

/** The container of the connection bar: subscribes to the live loop so the panel above it does not re-render every second. */
function Connection({ app }: AppProps) {
  return <ConnectionBar lost={useStore(app.live.store).lost} />;
}

/** The container of the summary strip: the state and the live loop's figures as plain values. */
function Summary({ app }: AppProps) {
  const st = useStore(app.status.store);
  const live = useStore(app.live.store);
  const problems = summaryProblems({ status: st.status, statusError: st.error, stale: live.stale, lost: live.lost });
  const p = live.latest;
  const f = live.flows;
  // While hardware flows bypass the kernel counters (only then does stats read them), the WAN figure is the switch's own count.
  const mib = live.counters?.hw?.rx_bps != null ? live.counters.hw : null;
  return (
    <SummaryStrip
      running={st.status ? stateName(st.status.effective.state) : null}
      flows={f ? { software: f.offloaded, hardware: f.hw_offloaded, total: live.conntrack ?? f.count } : null}
      cpu={p ? { busy: p.busy, softirq: p.softirq } : null}
      wan={mib ? { rx: mib.rx_bps, tx: mib.tx_bps, switch: true } : p ? { rx: p.wanRx, tx: p.wanTx } : null}
      problem={problems[0] ?? null}
      more={Math.max(0, problems.length - 1)}
    />
  );
}

/** Standalone: a login first; after an expiry a login dialog over the kept page. */
function Panel({ app }: AppProps) {
  const sess = useStore(app.session.store);
  const st = useStore(app.status.store);
  const root = useRef<HTMLDivElement>(null);
  const dark = useDark(root);
  const standalone = app.opts.standalone === true;
  const started = sess.phase === 'ready' || sess.phase === 'expired' || st.status !== null;
  const cls = `lo-root${dark === true ? ' lo-dark' : dark === false ? ' lo-light' : ''}`;
  const heading = useRef<HTMLHeadingElement>(null);
  const loginShown = useRef(false);
  // After the first login the form goes away: focus the page heading, not <body> (issue 16).
  useEffect(() => {
    if (started && loginShown.current) {
      loginShown.current = false;
      heading.current?.focus();
    }
  }, [started]);
  const h2 = (
    <h2 ref={heading} tabIndex={-1} class="lo-heading">
      {t('Flow Offloading')}
    </h2>
  );
  const descr = (
    <div class="cbi-map-descr">
      {t('Switch firewall flow offloading between off, software and hardware, and see whether it really runs: the state the router reports, CPU load and throughput live, and which connections are offloaded.')}
    </div>
  );
  if (standalone && !started) {
    if (sess.phase !== 'checking') loginShown.current = true;
    return (
      <div class={cls} ref={root}>
        {h2}
        {descr}
        {sess.phase === 'checking' ? <p class="spinning">{t('Checking the session…')}</p> : <LoginForm session={app.session} expired={false} />}
      </div>
    );
  }
  return (
    <div class={cls} ref={root}>
      {h2}
      <Summary app={app} />
      {descr}
      {standalone && sess.user && (
        <div class="lo-userbar">
          <p class="lo-note lo-user">{fmt(t('Logged in as %s.'), sess.user)}</p>
          {sess.phase === 'ready' && (
            <button type="button" class="cbi-button cbi-button-neutral" onClick={() => void app.logout()}>
              {t('Log out')}
            </button>
          )}
        </div>
      )}
      {sess.phase === 'expired' &&
        (standalone ? (
          <div class="lo-overlay">
            <LoginForm session={app.session} expired={true} />
          </div>
        ) : (
          <div role="alert">
            <Alert tone="warning">{t('Your LuCI session has expired. Log in again to continue.')}</Alert>
          </div>
        ))}
      <Connection app={app} />
      <ModeSwitch status={app.status} session={app.session} live={app.live} />
      <div id="lo-state">
        <StateCard status={app.status} session={app.session} live={app.live} />
      </div>
      <LiveView live={app.live} session={app.session} />
      <Savings app={app} />
      <FlowsTable flows={app.flows} />
      <ReportTools report={app.report} />
    </div>
  );
}
