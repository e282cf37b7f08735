/**
 * rpcd's session object and ACL model (contracts §2): logins from an rpcd-like
 * user list, access groups from acl.d JSON files read at login, fnmatch
 * matching, a sliding timeout, and the default session that only gets the
 * `unauthenticated` group.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fnmatch } from './fnmatch';

export const DEFAULT_SID = '00000000000000000000000000000000';

export interface Login {
  username: string;
  password: string;
  /** Access-group patterns; `!pattern` denies. write implies read. */
  read: string[];
  write: string[];
}

type Perm = 'read' | 'write';
type AclFile = Record<string, { read?: Record<string, unknown>; write?: Record<string, unknown> } & Record<string, unknown>>;

interface Session {
  sid: string;
  timeout: number;
  touched: number;
  /** scope → object pattern → function patterns, in insertion order. */
  acls: Map<string, Map<string, string[]>>;
  data: Record<string, unknown>;
}

export class Sessions {
  private sessions = new Map<string, Session>();
  constructor(private aclDirs: string[], private logins: Login[], private now: () => number = Date.now) {
    this.sessions.set(DEFAULT_SID, this.build(DEFAULT_SID, 0, null));
  }

  private aclFiles(): AclFile[] {
    const files: { name: string; path: string }[] = [];
    for (const dir of this.aclDirs) {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) if (n.endsWith('.json')) files.push({ name: n, path: join(dir, n) });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: AclFile[] = [];
    for (const f of files) {
      try {
        out.push(JSON.parse(readFileSync(f.path, 'utf8')) as AclFile);
      } catch {
        /* rpcd skips unparsable files */
      }
    }
    return out;
  }

  private permitted(login: Login | null, group: string, perm: Perm): boolean {
    if (!login) return group === 'unauthenticated';
    const test = (pats: string[]): boolean => {
      for (const p of pats) if (p.startsWith('!') && fnmatch(p.slice(1), group)) return false;
      return pats.some((p) => !p.startsWith('!') && fnmatch(p, group));
    };
    return perm === 'read' ? test(login.read) || test(login.write) : test(login.write);
  }

  private build(sid: string, timeout: number, login: Login | null): Session {
    const s: Session = { sid, timeout, touched: this.now(), acls: new Map(), data: login ? { username: login.username } : {} };
    for (const file of this.aclFiles()) {
      for (const [group, spec] of Object.entries(file)) {
        if (!spec || typeof spec !== 'object') continue;
        for (const perm of ['read', 'write'] as const) {
          const scopes = spec[perm];
          if (!scopes || typeof scopes !== 'object' || !this.permitted(login, group, perm)) continue;
          for (const [scope, val] of Object.entries(scopes)) {
            if (Array.isArray(val)) for (const obj of val) if (typeof obj === 'string') this.grant(s, scope, obj, perm);
            if (val && typeof val === 'object' && !Array.isArray(val)) {
              for (const [obj, fns] of Object.entries(val as Record<string, unknown>)) {
                if (Array.isArray(fns)) for (const fn of fns) if (typeof fn === 'string') this.grant(s, scope, obj, fn);
              }
            }
          }
          this.grant(s, 'access-group', group, perm);
        }
      }
    }
    return s;
  }

  private grant(s: Session, scope: string, obj: string, fn: string): void {
    let objs = s.acls.get(scope);
    if (!objs) s.acls.set(scope, (objs = new Map()));
    const fns = objs.get(obj) ?? [];
    if (!fns.includes(fn)) fns.push(fn);
    objs.set(obj, fns);
  }

  /** A live session (touching it, as rpcd's lookup does), or null. */
  get(sid: string): Session | null {
    const s = this.sessions.get(sid);
    if (!s) return null;
    if (s.timeout > 0 && this.now() - s.touched >= s.timeout * 1000) {
      this.sessions.delete(sid);
      return null;
    }
    s.touched = this.now();
    return s;
  }

  login(username: unknown, password: unknown, timeout: unknown): { status: number; data?: object } {
    if (typeof username !== 'string' || typeof password !== 'string') return { status: 2 };
    const login = this.logins.find((l) => l.username === username && l.password === password);
    if (!login) return { status: 6 };
    const t = typeof timeout === 'number' && Number.isInteger(timeout) ? timeout : 300;
    const sid = randomBytes(16).toString('hex');
    const s = this.build(sid, t, login);
    this.sessions.set(sid, s);
    return { status: 0, data: this.dump(s) };
  }

  dump(s: Session): object {
    const acls: Record<string, Record<string, string[]>> = {};
    for (const scope of [...s.acls.keys()].sort()) {
      const objs = s.acls.get(scope) as Map<string, string[]>;
      const o: Record<string, string[]> = {};
      for (const obj of [...objs.keys()].sort()) o[obj] = objs.get(obj) as string[];
      acls[scope] = o;
    }
    const left = s.timeout > 0 ? Math.max(0, s.timeout - Math.floor((this.now() - s.touched) / 1000)) : 0;
    return { ubus_rpc_session: s.sid, timeout: s.timeout, expires: left, acls, data: s.data };
  }

  /** The check uhttpd makes before every call, and rpcd's own scope checks. */
  allowed(sid: string, scope: string, object: string, fn: string): boolean {
    const s = this.get(sid);
    if (!s) return false;
    const objs = s.acls.get(scope);
    if (!objs) return false;
    for (const [pat, fns] of objs) if (fnmatch(pat, object) && fns.some((f) => fnmatch(f, fn))) return true;
    return false;
  }

  destroy(sid: string): void {
    if (sid !== DEFAULT_SID) this.sessions.delete(sid);
  }

  /** Test hook: make a session expire now. */
  expire(sid: string): void {
    const s = this.sessions.get(sid);
    if (s) s.touched = 0;
  }
}
