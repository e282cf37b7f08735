import { useEffect } from 'preact/hooks';
import type { AppModel } from '../models/AppModel';
import { AB_WINDOWS, SETTLE_POINTS, savingsFor } from '../models/SavingsModel';
import { useStore } from '../lib/use-store';
import { compareModes, modeFigures, WINDOW_MS } from '../lib/savings';
import { SavingsCard } from './SavingsCard';

/** The container of the savings card: the model's state and the mode switch's as plain values. */
export function Savings({ app }: { app: AppModel }) {
  const m = savingsFor(app);
  useEffect(() => {
    m.start();
    // Leaving mid-comparison: the browser asks first (the next load restores the original mode anyway).
    const leave = (e: BeforeUnloadEvent): void => {
      if (m.busy) e.preventDefault();
    };
    addEventListener('beforeunload', leave);
    return () => {
      removeEventListener('beforeunload', leave);
      m.stop();
    };
  }, [m]);
  const s = useStore(m.store);
  const st = useStore(app.status.store);
  const sess = useStore(app.session.store);
  const f = modeFigures(s.windows);
  return (
    <SavingsCard
      figures={Object.values(f)}
      comparisons={compareModes(f)}
      counts={{ off: s.windows.off.length, software: s.windows.software.length, hardware: s.windows.hardware.length }}
      ab={s.ab}
      other={st.applying || !sess.canWrite ? null : m.otherMode()}
      current={st.status?.configured.mode ?? null}
      abSeconds={(AB_WINDOWS * WINDOW_MS) / 1000 + SETTLE_POINTS + 1}
      readonly={!sess.canWrite}
      onAsk={() => m.ask()}
      onStart={() => void m.run()}
      onCancel={() => m.cancel()}
      onDismiss={() => m.dismiss()}
      onForget={() => m.forget()}
    />
  );
}
