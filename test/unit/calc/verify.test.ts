import { describe, it, expect } from 'vitest';
import { verifyApplied, runningMode, firstNftError } from '../../../rpcd/src/calc/verify';
import { FALLBACK_WARNING, type RulesetView } from '../../../rpcd/src/calc/state';

const ft = (hw: boolean, devices = ['br-lan', 'wan']) => ({ family: 'inet', table: 'fw4', name: 'ft', hook: 'ingress', priority: 'filter', devices, hw, counter: true });
const view = (over: Partial<RulesetView>): RulesetView => ({ readable: true, error: null, nftMissing: false, flowtable: null, rule: false, ...over });
// As real fw4 passes it on from nft (the path is nft's input, /dev/stdin under fw4).
const NFT_ERR = '/dev/stdin:101:2-52: Error: Could not process rule: No such file or directory\n\tflowtable ft {\n\t^^^^^^^^^^^^^\n';

describe('runningMode', () => {
  it('names only a whole mode', () => {
    expect(runningMode(view({}))).toBe('off');
    expect(runningMode(view({ flowtable: ft(false), rule: true }))).toBe('software');
    expect(runningMode(view({ flowtable: ft(true), rule: true }))).toBe('hardware');
    expect(runningMode(view({ flowtable: ft(false), rule: false }))).toBeNull();
    expect(runningMode(view({ flowtable: ft(false, []), rule: true }))).toBeNull();
    expect(runningMode(view({ rule: true }))).toBeNull();
    expect(runningMode(view({ readable: false }))).toBeNull();
  });
});

describe('verifyApplied', () => {
  it('accepts exactly the requested mode', () => {
    expect(verifyApplied('off', view({}), '', [])).toEqual({ ok: true, running: 'off' });
    expect(verifyApplied('software', view({ flowtable: ft(false), rule: true }), '', [])).toEqual({ ok: true, running: 'software' });
    expect(verifyApplied('hardware', view({ flowtable: ft(true), rule: true }), '', [])).toEqual({ ok: true, running: 'hardware' });
  });
  it('accepts software for hardware only with fw4\'s fallback warning', () => {
    const sw = view({ flowtable: ft(false), rule: true });
    expect(verifyApplied('hardware', sw, '', [FALLBACK_WARNING])).toEqual({ ok: true, running: 'software' });
    expect(verifyApplied('hardware', sw, '', []).ok).toBe(false);
  });
  it('an nft error fails the apply even when the old ruleset happens to match', () => {
    const v = verifyApplied('off', view({}), NFT_ERR, []);
    expect(v).toEqual({ ok: false, reason: 'nft rejected the new ruleset (Error: Could not process rule: No such file or directory); the previous ruleset stayed loaded' });
  });
  it('says what runs instead', () => {
    expect(verifyApplied('software', view({}), '', [])).toMatchObject({ ok: false, reason: expect.stringMatching(/no flowtable: fw4 found no device/) });
    expect(verifyApplied('off', view({ flowtable: ft(false), rule: true }), '', [])).toEqual({ ok: false, reason: 'after the reload the running ruleset has a software flowtable, not off offloading' });
    expect(verifyApplied('software', view({ flowtable: ft(true), rule: true }), '', [])).toMatchObject({ ok: false, reason: expect.stringContaining('a hardware flowtable') });
    expect(verifyApplied('software', view({ flowtable: ft(false), rule: false }), '', [])).toMatchObject({ ok: false, reason: expect.stringContaining('that no forward rule uses') });
    expect(verifyApplied('software', view({ flowtable: ft(false, []), rule: true }), '', [])).toMatchObject({ ok: false, reason: expect.stringContaining('without devices') });
    expect(verifyApplied('off', view({ rule: true }), '', [])).toMatchObject({ ok: false, reason: expect.stringContaining('without its flowtable') });
    expect(verifyApplied('off', view({ readable: false, error: 'No such file or directory' }), '', [])).toEqual({ ok: false, reason: 'after the reload the running ruleset could not be read (No such file or directory)' });
  });
});

describe('firstNftError', () => {
  it('quotes from "Error:" on, the first one only', () => {
    expect(firstNftError(NFT_ERR + 'x: Error: second\n')).toBe('Error: Could not process rule: No such file or directory');
    expect(firstNftError('[!] Hardware flow offloading unavailable\n')).toBeNull();
    expect(firstNftError('Error: ' + 'x'.repeat(300))?.length).toBe(201);
  });
});

describe('verifyApplied: every branch by its exact answer (mutation testing, issue 14)', () => {
  const sw = view({ flowtable: ft(false), rule: true });
  const hw = view({ flowtable: ft(true), rule: true });
  it.each<[string, Parameters<typeof verifyApplied>, ReturnType<typeof verifyApplied>]>([
    ['the fallback warning is for hardware only', ['software', hw, '', [FALLBACK_WARNING]], { ok: false, reason: 'after the reload the running ruleset has a hardware flowtable, not software offloading' }],
    ['the fallback warning does not excuse no flowtable', ['hardware', view({}), '', [FALLBACK_WARNING]], { ok: false, reason: 'after the reload the running ruleset has no flowtable: fw4 found no device of a zone network to put into it (it takes them from netifd)' }],
    ['the warning must be fw4\'s', ['hardware', sw, '', ['something else']], { ok: false, reason: 'after the reload the running ruleset has a software flowtable, not hardware offloading' }],
    ['the warning inside a longer line', ['hardware', sw, '', [`x ${FALLBACK_WARNING} y`]], { ok: true, running: 'software' }],
    ['off requested, a half ruleset', ['off', view({ rule: true }), '', []], { ok: false, reason: 'after the reload the running ruleset has an offload rule without its flowtable, not off offloading' }],
    ['a flowtable without devices', ['software', view({ flowtable: ft(false, []), rule: true }), '', []], { ok: false, reason: 'after the reload the running ruleset has a flowtable without devices, not software offloading' }],
    ['a flowtable without its rule', ['software', view({ flowtable: ft(false), rule: false }), '', []], { ok: false, reason: 'after the reload the running ruleset has a flowtable that no forward rule uses, not software offloading' }],
    ['unreadable with a reason', ['off', view({ readable: false, error: 'nft: EPERM' }), '', []], { ok: false, reason: 'after the reload the running ruleset could not be read (nft: EPERM)' }],
    ['unreadable without one', ['off', view({ readable: false }), '', []], { ok: false, reason: 'after the reload the running ruleset could not be read (no reason given)' }],
    ['off requested, no flowtable', ['off', view({}), '', [FALLBACK_WARNING]], { ok: true, running: 'off' }],
  ])('%s', (_n, args, want) => {
    expect(verifyApplied(...args)).toEqual(want);
  });

  it('nft error lines: indented, anywhere in stderr, cut at 200 characters', () => {
    expect(firstNftError('  \t/dev/stdin:1:1-2: Error: first  \nError: second')).toBe('Error: first');
    expect(firstNftError('NoError: here')).toBeNull();
    const long = 'Error: ' + 'y'.repeat(193);
    expect(firstNftError(long)).toBe(long);
    expect(firstNftError(long + 'z')).toBe(long + '…');
  });
});
