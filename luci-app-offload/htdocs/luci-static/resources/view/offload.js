'use strict';
'require view';

/*
 * Flow Offloading — a thin LuCI view that loads the panel bundle
 * (offload/app.js + app.css, built from web/ with Vite) and mounts it with
 * the page's session, ubus path and LuCI's translation function.
 */

var loading = null;

function loadBundle() {
	if (window.LuciOffload)
		return Promise.resolve(window.LuciOffload);
	if (loading)
		return loading;

	loading = new Promise(function(resolve, reject) {
		var v = '?v=' + encodeURIComponent(L.env.resource_version || '1');
		/* mount only once the panel's styles apply: laid out without them, the content can
		   size the theme's column (openwrt-2020) before it settles */
		var css = new Promise(function(done) {
			var link = E('link', { 'rel': 'stylesheet', 'href': L.resource('offload/app.css') + v });
			link.onload = link.onerror = function() { done(); };
			document.head.appendChild(link);
		});
		var s = E('script', { 'src': L.resource('offload/app.js') + v });
		s.onload = function() {
			css.then(function() {
				if (window.LuciOffload) resolve(window.LuciOffload);
				else reject(new Error(_('The flow offloading panel did not start.')));
			});
		};
		s.onerror = function() {
			loading = null;
			reject(new Error(_('Cannot load the flow offloading panel (offload/app.js).')));
		};
		document.head.appendChild(s);
	});
	return loading;
}

/*
 * Flow offloading options staged in LuCI (e.g. by Network → Firewall's offload selector)
 * but not applied: they live in this session's uci delta, which the handler cannot see.
 */
function stagedChanges() {
	/* LuCI's uci class, loaded on demand (not a 'require' of the view, so a LuCI without it
	   still shows the page); any failure means "nothing staged that we know of" */
	if (typeof L.resolveDefault !== 'function')
		return Promise.resolve({});
	return L.resolveDefault(L.require('uci').then(function(uci) { return uci.changes(); }), {});
}

function stagedOffload(changes) {
	return ((changes && changes.firewall) || []).filter(function(c) {
		return c[2] === 'flow_offloading' || c[2] === 'flow_offloading_hw';
	}).map(function(c) {
		return c[0] === 'remove' ? c[2] + ' (' + _('removed') + ')' : c[2] + '=' + c[3];
	});
}

return view.extend({
	load: function() {
		return Promise.all([loadBundle(), stagedChanges()]);
	},

	render: function(data) {
		var app = data[0], staged = stagedOffload(data[1]);
		var root = E('div', { 'class': 'cbi-map', 'id': 'offload-root' });
		app.mount(root, {
			sessionid: L.env.sessionid,
			ubuspath: L.env.ubuspath,
			translate: _,
			readonly: L.hasViewPermission() === false,
			onSessionExpired: function() { L.notifySessionExpiry(); },
			/* LuCI's poll loop (the singleton 'require poll' gives; read off L so a LuCI
			   without it still shows the page): the panel polls on it, so the header's
			   "Refreshing / Paused" indicator pauses the panel too */
			poll: L.Poll || undefined
		});
		if (!staged.length)
			return root;
		return E('div', {}, [
			E('div', { 'class': 'alert-message warning', 'id': 'offload-luci-pending' }, [
				E('p', {}, _('Pending in LuCI: a flow offloading change is staged but not applied (%s). This page shows the applied configuration until you apply or revert it under LuCI\'s Unsaved Changes.').format(staged.join(', ')))
			]),
			root
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
