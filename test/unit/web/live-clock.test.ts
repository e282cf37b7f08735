/** LiveModel measures its intervals on the monotonic clock, not the wall clock (issue 14). */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { LiveModel } from '../../../web/src/models/LiveModel';
import { SessionModel } from '../../../web/src/models/SessionModel';
import { createMockClient } from '../../web/mock-client';

afterEach(() => vi.restoreAllMocks());

describe('LiveModel clock', () => {
  it('a wall clock set back an hour does not hold the stats poll for an hour', async () => {
    let wall = 1_800_000_000_000;
    let mono = 1000;
    vi.spyOn(Date, 'now').mockImplementation(() => wall);
    vi.spyOn(performance, 'now').mockImplementation(() => mono);
    const client = createMockClient({});
    const session = new SessionModel(client, { standalone: false, readonly: false });
    const live = new LiveModel(client, session, { statsEveryMs: 5000 });
    await live.tick();
    const statsCalls = (): number => client.call.mock.calls.filter((c) => c[0] === 'stats').length;
    expect(statsCalls()).toBe(1);
    // NTP sets the clock back by an hour while six seconds pass.
    wall -= 3_600_000;
    mono += 6000;
    await live.tick();
    expect(statsCalls()).toBe(2);
  });
});
