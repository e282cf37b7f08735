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
		document.head.appendChild(E('link', { 'rel': 'stylesheet', 'href': L.resource('offload/app.css') + v }));
		var s = E('script', { 'src': L.resource('offload/app.js') + v });
		s.onload = function() {
			if (window.LuciOffload) resolve(window.LuciOffload);
			else reject(new Error(_('The flow offloading panel did not start.')));
		};
		s.onerror = function() {
			loading = null;
			reject(new Error(_('Cannot load the flow offloading panel (offload/app.js).')));
		};
		document.head.appendChild(s);
	});
	return loading;
}

return view.extend({
	load: function() {
		return loadBundle();
	},

	render: function(app) {
		var root = E('div', { 'class': 'cbi-map', 'id': 'offload-root' });
		app.mount(root, {
			sessionid: L.env.sessionid,
			ubuspath: L.env.ubuspath,
			translate: _,
			readonly: L.hasViewPermission() === false,
			onSessionExpired: function() { L.notifySessionExpiry(); }
		});
		return root;
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
