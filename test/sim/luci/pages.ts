/**
 * HTML of the simulated router's pages: a LuCI-like login form, a page shaped
 * like a LuCI page (bootstrap-like header, menu from the package's menu.d,
 * `L` created with the env LuCI's header.ut passes, then the view instantiated
 * the way view.ut does), and the standalone panel page for the demo.
 */
import type { ScenarioSpec } from '../scenario/scenarios';

export interface MenuEntry {
  path: string;
  title: string;
  view: string;
  acl: string[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const BANNER = (spec: ScenarioSpec): string =>
  `<div class="sim-banner" role="note">Simulated router — ${esc(spec.description)}. All figures are a simulation.</div>`;

const STYLE = `<style>
body{font-family:-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:var(--bg,#fff);color:var(--fg,#222)}
html[data-darkmode="true"]{--bg:#1e1e1e;--fg:#ddd}
header{background:#2b6cb0;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a{color:#fff}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:1em}
#maincontent{padding:1em;max-width:1200px;margin:0 auto}
.sim-banner{background:#fff3cd;color:#664d03;padding:.4em 1em;font-size:.9em}
.cbi-section{border:1px solid #ccc;border-radius:4px;padding:1em;margin:0 0 1em}
.cbi-button{padding:.3em .8em;border:1px solid #888;border-radius:3px;background:#f4f4f4;cursor:pointer}
.alert-message{padding:.6em 1em;border-radius:4px;background:#e7f1ff;margin:.5em 0}
.alert-message.warning{background:#fff3cd}.alert-message.error{background:#f8d7da}.alert-message.success{background:#d1e7dd}
.spinning{opacity:.7}
html[data-darkmode="true"] .cbi-section{border-color:#444}
html[data-darkmode="true"] .cbi-button{background:#2e3338;color:#ddd;border-color:#666}
html[data-darkmode="true"] .alert-message{background:#20364d;color:#dde6f0}
html[data-darkmode="true"] .alert-message.warning{background:#4a3d12;color:#f3e3b5}
html[data-darkmode="true"] .alert-message.error{background:#4d2024;color:#f5d0d3}
html[data-darkmode="true"] .alert-message.success{background:#1c3d2b;color:#cdebd9}
html[data-darkmode="true"] input,html[data-darkmode="true"] textarea{background:#2a2a2a;color:#ddd;border:1px solid #666}
</style>`;

export function loginPage(error: string | null): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>OpenWrt - LuCI</title>${STYLE}</head>
<body><header><strong>OpenWrt</strong></header><div id="maincontent">
<h2 name="content">Authorization Required</h2>
${error ? `<div class="alert-message error">${esc(error)}</div>` : ''}
<form method="post" class="cbi-section">
<p><label>Username <input name="luci_username" id="luci_username" autocomplete="username" value="root"></label></p>
<p><label>Password <input type="password" name="luci_password" id="luci_password" autocomplete="current-password"></label></p>
<p><button class="cbi-button cbi-button-positive" type="submit">Log in</button></p>
</form></div></body></html>`;
}

export interface LuciPageInput {
  sid: string;
  menu: MenuEntry[];
  node: MenuEntry | null;
  readonly: boolean;
  scenario: ScenarioSpec;
  theme: string;
  dark: string | null;
}

export function luciPage(p: LuciPageInput): string {
  const env = {
    media: '/luci-static/bootstrap',
    resource: '/luci-static/resources',
    scriptname: '/cgi-bin/luci',
    pathinfo: p.node ? `/admin/${p.node.path.replace(/^admin\//, '')}` : '/admin',
    documentroot: '/www',
    requestpath: p.node ? p.node.path.split('/') : ['admin'],
    dispatchpath: p.node ? p.node.path.split('/') : ['admin'],
    pollinterval: 5,
    ubuspath: '/ubus/',
    sessionid: p.sid,
    token: p.sid.slice(0, 16),
    nodespec: p.node ? { satisfied: true, readonly: p.readonly, title: p.node.title } : {},
    apply_rollback: 90,
    apply_holdoff: 4,
    apply_timeout: 5,
    apply_display: 1.5,
    rollback_token: null,
  };
  const darkAttr = p.dark === 'true' || p.dark === 'false' ? p.dark : 'false';
  const nav = p.menu.map((m) => `<li><a href="/cgi-bin/luci/${esc(m.path)}">${esc(m.title)}</a></li>`).join('');
  const body = p.node
    ? `<div id="view"><div class="spinning">Loading view…</div></div>
<script>L.require('ui').then(function(ui) { ui.instantiateView(${JSON.stringify(p.node.view)}); });</script>`
    : `<h2>Status</h2><p>${p.menu.length ? 'Choose a page from the menu.' : 'No page you may open.'}</p>`;
  return `<!DOCTYPE html><html lang="en" data-darkmode="${darkAttr}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(p.scenario.model)} - ${p.node ? esc(p.node.title) : 'LuCI'} - LuCI</title>${STYLE}
<script src="/luci-static/resources/cbi.js"></script>
<script src="/luci-static/resources/luci.js"></script>
<script>L = new LuCI(${JSON.stringify(env)});</script>
</head><body class="lang_en theme-${esc(p.theme)}">
<header><strong>${esc(p.scenario.model)}</strong><nav aria-label="Main menu"><ul id="topmenu">${nav}</ul></nav></header>
${BANNER(p.scenario)}
<div id="maincontent">${body}</div></body></html>`;
}

export function standalonePage(spec: ScenarioSpec): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Flow Offloading — ${esc(spec.model)}</title>${STYLE}
<link rel="stylesheet" href="/luci-static/resources/offload/app.css">
</head><body>${BANNER(spec)}
<div id="maincontent"><div id="offload-root"></div></div>
<script src="/luci-static/resources/offload/app.js"></script>
<script>LuciOffload.mount(document.getElementById('offload-root'), { standalone: true, ubuspath: '/ubus' });</script>
</body></html>`;
}
