/**
 * Who is logged in, whether they may change the mode, and session expiry.
 *
 * Expiry rule: uhttpd answers -32002 both for an expired session and for a
 * missing permission. A -32002 from a call that has worked before means the
 * session expired; for a call that never worked, a call that did work is
 * repeated: if that is refused too, the session expired, otherwise the user
 * simply lacks the permission.
 */
import { DEFAULT_SID, isAccessDenied, type LoginResult } from '../client';
import { t, fmt } from '../lib/i18n';
import { describeError } from '../lib/errors';
import { Store } from './store';
import type { OffloadClient } from './types';

export type Phase = 'checking' | 'login' | 'ready' | 'expired';

export interface SessionState {
  phase: Phase;
  user: string | null;
  canWrite: boolean;
  /** Why the mode switch is disabled for this user, or null. */
  readonlyReason: string | null;
  loggingIn: boolean;
  loginError: string | null;
  /** After a log-out: what became of the router's session (shown above the login form), else null. */
  loggedOut: string | null;
}

export interface SessionOptions {
  standalone: boolean;
  readonly: boolean;
  onSessionExpired?: (() => void) | undefined;
  /** Where the standalone page keeps its session across reloads (sessionStorage). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

const STORE_KEY = 'luci-offload-session';

/** fnmatch-lite for ACL patterns from a login reply (`*` and `?`). */
function match(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(s);
}

/** Does a login reply's ACL table allow ubus luci.offload/set? */
export function aclAllowsSet(acls: LoginResult['acls'] | undefined): boolean {
  const ubus = acls?.ubus ?? {};
  return Object.entries(ubus).some(([obj, fns]) => match(obj, 'luci.offload') && Array.isArray(fns) && fns.some((f) => match(f, 'set')));
}

export class SessionModel {
  readonly store: Store<SessionState>;
  private worked = new Set<string>();
  private readyListeners = new Set<(again: boolean) => void>();
  private everReady = false;
  /** The session's idle timeout in seconds, from this page's login reply (unknown for a restored session). */
  private timeout: number | null = null;

  constructor(private client: OffloadClient, private opts: SessionOptions) {
    this.store = new Store<SessionState>({
      phase: opts.standalone ? 'login' : 'ready',
      user: null,
      canWrite: !opts.readonly,
      readonlyReason: opts.readonly ? t('Your account has read-only access to this page, so the mode cannot be changed.') : null,
      loggingIn: false,
      loginError: null,
      loggedOut: null,
    });
    if (!opts.standalone) this.everReady = true;
  }

  get ready(): boolean {
    return this.store.get().phase === 'ready';
  }

  /** Called with `again = true` when a session becomes usable after an expiry. */
  onReady(fn: (again: boolean) => void): () => void {
    this.readyListeners.add(fn);
    return () => this.readyListeners.delete(fn);
  }

  /** Standalone: reuse the session kept from an earlier visit, if any. @returns whether one was found */
  restore(): boolean {
    if (!this.opts.standalone) return false;
    try {
      const saved = JSON.parse(this.opts.storage?.getItem(STORE_KEY) ?? 'null') as { sid?: unknown; user?: unknown; canWrite?: unknown } | null;
      if (!saved || typeof saved.sid !== 'string' || !/^[0-9a-f]{32}$/.test(saved.sid)) return false;
      this.client.sid = saved.sid;
      this.setUser(typeof saved.user === 'string' ? saved.user : null, saved.canWrite === true);
      this.store.set({ phase: 'checking' });
      return true;
    } catch {
      return false;
    }
  }

  /** The restored session answered: it is usable. */
  confirm(): void {
    if (this.store.get().phase === 'checking') this.becomeReady();
  }

  /** Record that a call worked (enables the expiry rule for it). */
  succeeded(key: string): void {
    this.worked.add(key);
  }

  /**
   * Classify a failed call and act on expiry.
   * @returns 'expired' (the session is gone; the UI asks for a login), 'denied'
   *   (this user may not make this call) or 'other' (not a permission problem)
   */
  async check(key: string, err: unknown, probe?: () => Promise<unknown>): Promise<'expired' | 'denied' | 'other'> {
    if (!isAccessDenied(err)) return 'other';
    if (this.store.get().phase === 'expired') return 'expired';
    if (this.worked.has(key)) {
      this.expire();
      return 'expired';
    }
    const phase = this.store.get().phase;
    if (phase === 'checking') {
      // A session restored from an earlier visit that no longer exists.
      this.forget();
      this.store.set({ phase: 'login', loginError: null });
      return 'expired';
    }
    const p = probe ?? this.defaultProbe();
    if (!p) return 'denied';
    try {
      await p();
      return 'denied';
    } catch (e) {
      if (isAccessDenied(e)) {
        this.expire();
        return 'expired';
      }
      return 'denied';
    }
  }

  private defaultProbe(): (() => Promise<unknown>) | null {
    if (this.worked.has('file.read')) return () => this.client.callRaw({ object: 'file', method: 'read', args: { path: '/proc/uptime' } }, { timeoutMs: 5000 });
    if (this.worked.has('luci.offload.status')) return () => this.client.call('status', {}, { timeoutMs: 20000 });
    return null;
  }

  /** The session is gone: LuCI shows its own dialog, the standalone page asks for a login. */
  expire(): void {
    if (this.store.get().phase === 'expired') return;
    this.store.set({ phase: 'expired', loginError: null });
    if (!this.opts.standalone) {
      try {
        this.opts.onSessionExpired?.();
      } catch {
        /* LuCI's dialog failed: our own notice still shows */
      }
    }
  }

  /** Standalone login (first or after expiry). */
  async login(username: string, password: string): Promise<boolean> {
    this.store.set({ loggingIn: true, loginError: null });
    try {
      const r = await this.client.login(username, password);
      this.worked.clear();
      let canWrite = aclAllowsSet(r.acls);
      try {
        const a = await this.client.callRaw({ object: 'session', method: 'access', args: { scope: 'ubus', object: 'luci.offload', function: 'set' } }, { timeoutMs: 5000 });
        if (a && typeof a.access === 'boolean') canWrite = a.access;
      } catch {
        /* users without session.access: keep what the login reply's ACL table says */
      }
      this.setUser(username, canWrite);
      this.timeout = typeof r.timeout === 'number' ? r.timeout : null;
      try {
        this.opts.storage?.setItem(STORE_KEY, JSON.stringify({ sid: r.ubus_rpc_session, user: username, canWrite }));
      } catch {
        /* storage disabled */
      }
      this.store.set({ loggingIn: false, loggedOut: null });
      this.becomeReady();
      return true;
    } catch (e) {
      const denied = (e as { status?: unknown }).status === 6;
      this.store.set({ loggingIn: false, loginError: denied ? t('Wrong username or password.') : describeError(e) });
      return false;
    }
  }

  /**
   * Standalone log-out. rpcd lets a session end itself (`session destroy`) only
   * when its ACL grants that method, which no stock group does: then the page
   * drops the session it keeps and says that the router ends it after its idle
   * timeout. Either way the login form comes back.
   */
  async logout(): Promise<void> {
    if (!this.opts.standalone || this.store.get().phase === 'login') return;
    let destroyed = false;
    try {
      await this.client.callRaw({ object: 'session', method: 'destroy', args: {} }, { timeoutMs: 5000 });
      destroyed = true;
    } catch {
      /* not granted (-32002), or the router did not answer: forget the session here */
    }
    this.forget();
    this.client.sid = DEFAULT_SID;
    this.worked.clear();
    const mins = this.timeout && this.timeout > 0 ? Math.max(1, Math.round(this.timeout / 60)) : null;
    const note = destroyed
      ? t('Logged out. The router ended the session.')
      : mins !== null
        ? fmt(t('Logged out. The router does not let this page end the session, so it ends by itself after %d minutes without use.'), mins)
        : t('Logged out. The router does not let this page end the session, so it ends by itself once it goes unused.');
    this.timeout = null;
    this.store.set({ phase: 'login', loginError: null, loggingIn: false, loggedOut: note });
  }

  private setUser(user: string | null, canWrite: boolean): void {
    this.store.set({
      user,
      canWrite,
      readonlyReason: canWrite ? null : fmt(t('The user %s may view this page but not change the mode.'), user ?? '?'),
    });
  }

  private forget(): void {
    try {
      this.opts.storage?.removeItem(STORE_KEY);
    } catch {
      /* ignore */
    }
  }

  private becomeReady(): void {
    const again = this.everReady;
    this.everReady = true;
    this.store.set({ phase: 'ready' });
    for (const fn of [...this.readyListeners]) fn(again);
  }
}
