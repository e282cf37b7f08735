/*
 * Simulator stand-in for LuCI's luci.js: just what a view needs, done the way
 * LuCI does it. Class modules are fetched from env.resource, their leading
 * 'use strict' / 'require NAME' directives parsed, the body wrapped in
 * function(window, document, L, deps…) and evaluated; the returned class is
 * instantiated; a View runs load() then render() and puts the nodes in #view.
 */
(function () {
  'use strict';

  function extend(Base, props) {
    function Sub() {
      if (typeof this.__init__ === 'function') return this.__init__.apply(this, arguments);
    }
    Sub.prototype = Object.create(Base.prototype);
    Object.keys(props || {}).forEach(function (k) { Sub.prototype[k] = props[k]; });
    Sub.prototype.constructor = Sub;
    Sub.extend = function (p) { return extend(Sub, p); };
    Sub.__luciClass = true;
    return Sub;
  }
  function BaseClass() {}
  BaseClass.extend = function (p) { return extend(BaseClass, p); };

  function E(tag, attrs, children) {
    var el = document.createElement(tag);
    if (Array.isArray(attrs) || typeof attrs === 'string' || (attrs && attrs.nodeType)) { children = attrs; attrs = null; }
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v == null) return;
      if (k.indexOf('on') === 0 && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    });
    [].concat(children == null ? [] : children).forEach(function (c) {
      if (c == null) return;
      el.appendChild(c.nodeType ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  var View = BaseClass.extend({
    __init__: function () {
      var vp = document.getElementById('view');
      var self = this;
      return Promise.resolve(this.load()).then(function (data) {
        return self.render(data);
      }).then(function (nodes) {
        vp.innerHTML = '';
        [].concat(nodes).forEach(function (n) { if (n) vp.appendChild(n); });
        if (self.handleSave || self.handleSaveApply || self.handleReset) {
          vp.appendChild(E('div', { 'class': 'cbi-page-actions' }, [E('button', { 'class': 'cbi-button cbi-button-save' }, 'Save')]));
        }
      }).catch(function (err) { L.error(err); });
    },
    load: function () {},
    render: function () {},
    handleSave: function () {},
    handleSaveApply: function () {},
    handleReset: function () {}
  });

  var builtins = {
    baseclass: BaseClass,
    view: View,
    dom: { create: E },
    ui: {
      instantiateView: function (path) { return L.require('view.' + path.replace(/\//g, '.')).catch(function (e) { L.error(e); }); }
    }
  };

  function LuCI(env) {
    this.env = env;
    this.env.base_url = env.resource;
    this.env.resource_version = 'sim';
    this.dom = builtins.dom;
    this.classes = {};
    window.L = this;
    window.E = E;
  }
  LuCI.prototype.resource = function () {
    return [this.env.resource].concat([].slice.call(arguments)).join('/');
  };
  LuCI.prototype.url = function () {
    return [this.env.scriptname].concat([].slice.call(arguments)).join('/');
  };
  LuCI.prototype.hasViewPermission = function () {
    var n = this.env.nodespec || {};
    if (!n.satisfied) return null;
    return !n.readonly;
  };
  LuCI.prototype.error = function (err) {
    var vp = document.getElementById('view') || document.body;
    var box = E('div', { 'class': 'alert-message error', role: 'alert' }, [String(err && err.message || err)]);
    vp.insertBefore(box, vp.firstChild);
  };
  /* LuCI's modal when the session expired: the user logs in again on the login page. */
  LuCI.prototype.notifySessionExpiry = function () {
    if (document.getElementById('luci-session-expired')) return;
    var modal = E('div', { id: 'luci-session-expired', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'luci-session-expired-title',
      style: 'position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:1000' }, [
      E('div', { 'class': 'cbi-section', style: 'background:#fff;color:#222;max-width:30em' }, [
        E('h4', { id: 'luci-session-expired-title' }, _('Session expired')),
        E('p', {}, _('A new login is required since the authentication session expired.')),
        E('button', { 'class': 'cbi-button cbi-button-positive', onclick: function () { location.reload(); } }, _('Log in…'))
      ])
    ]);
    document.body.appendChild(modal);
  };
  LuCI.prototype.require = function (name) {
    var self = this;
    if (builtins[name]) return Promise.resolve(builtins[name]);
    if (this.classes[name]) return this.classes[name];
    var url = this.env.base_url + '/' + name.replace(/\./g, '/') + '.js?v=' + this.env.resource_version;
    var p = fetch(url, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status + ' loading ' + url);
      return res.text();
    }).then(function (source) {
      var deps = [], names = [];
      var re = /^\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*(['"])(.*?)\1\s*;?/;
      var rest = source, m;
      while ((m = re.exec(rest)) !== null) {
        var directive = m[2];
        var r = /^require[ \t]+(\S+)(?:[ \t]+as[ \t]+([a-zA-Z_]\S*))?$/.exec(directive);
        if (directive !== 'use strict' && !r) break;
        if (r) { deps.push(self.require(r[1])); names.push(r[2] || r[1].replace(/[^a-zA-Z0-9_]/g, '_')); }
        rest = rest.slice(m[0].length);
      }
      return Promise.all(deps).then(function (instances) {
        var fn = new Function(['window', 'document', 'L'].concat(names).join(','), source);
        var cls = fn.apply(self, [window, document, self].concat(instances));
        if (typeof cls !== 'function' || !cls.__luciClass) throw new TypeError('"' + name + '" factory yields invalid constructor');
        return new cls();
      });
    });
    this.classes[name] = p;
    return p;
  };

  window.LuCI = LuCI;
})();
