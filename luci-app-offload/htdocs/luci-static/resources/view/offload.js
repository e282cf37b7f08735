'use strict';
'require view';

/* Loads the panel (offload/app.js + app.css, built from web/) and mounts it with LuCI's session and _(). */

var loading = null;

function loadBundle() {
	if (window.LuciOffload)
		return Promise.resolve(window.LuciOffload);
	if (loading)
		return loading;

	loading = new Promise(function(resolve, reject) {
		var v = '?v=' + encodeURIComponent(L.env.resource_version || '1');
		/* mount once the styles apply, or openwrt-2020 sizes its column by the unstyled page */
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

/* offload options staged in LuCI but not applied: this session's uci delta, which the handler cannot see */
function stagedChanges() {
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
			/* LuCI's poll loop, so its Pause pauses the panel too */
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
