/* Simulator stand-in for LuCI's cbi.js globals: _() and N_() with the window.TR lookup shape. */
(function () {
  'use strict';
  window.TR = window.TR || {};
  function sfh(s) {
    /* SuperFastHash is what LuCI uses for keys; the simulator ships no catalogs, so any stable key works. */
    var h = 0;
    for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
    return ('00000000' + h.toString(16)).slice(-8);
  }
  window._ = function (s, c) {
    var k = (c ? String(c).trim() + '\u0001' : '') + String(s).trim();
    return window.TR[sfh(k)] || s;
  };
  window.N_ = function (n, s, p, c) {
    return n === 1 ? window._(s, c) : window._(p, c);
  };
})();
