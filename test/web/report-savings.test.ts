// @vitest-environment happy-dom
/** The report carries what only the browser measured: the CPU cost per GB per mode (SavingsModel). */
import { describe, expect, it } from 'vitest';
import { AppModel } from '../../web/src/models/AppModel';
import { savingsFor } from '../../web/src/models/SavingsModel';
import { createMockClient } from './mock-client';

describe('the report with the measured savings', () => {
  it('appends the savings section to the router\'s report in the preview, and Copy takes the same text', async () => {
    const client = createMockClient({ diagnostics: () => ({ markdown: '# Report\n\n- Effective: **software**\n', generated_at: 1_700_000_000_000 }) as never });
    let copied = '';
    const app = new AppModel(client, { standalone: false, readonly: false, pollMs: 60_000, clipboard: () => ({ writeText: async (s: string) => void (copied = s) }) });
    await app.report.showPreview();
    const preview = app.report.store.get().preview ?? '';
    expect(preview.startsWith('# Report\n\n- Effective: **software**\n\n')).toBe(true);
    for (const line of savingsFor(app).reportLines()) expect(preview).toContain(line);
    expect(preview).toContain('### CPU cost per traffic, measured in this browser');
    await app.report.copy();
    expect(copied).toBe(preview);
  });
});
