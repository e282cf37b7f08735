/**
 * Entry of the panel bundle: defines `window.LuciOffload.mount(el, options)`,
 * called by LuCI's view (view/offload.js) and by the simulator's standalone page.
 */
import { h, render } from 'preact';
import './app.css';
import { UbusClient } from './client';
import { App } from './components/App';
import { setTranslate } from './lib/i18n';
import { setNumberLocale } from './lib/format';
import { AppModel } from './models/AppModel';
import type { MountOptions } from './models/types';

interface Mounted {
  unmount(): void;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Render the panel into `el` and start it. */
function mount(el: Element, o: MountOptions = {}): Mounted {
  setTranslate(o.translate);
  // numbers in LuCI's language (its themes put it in <html lang>); the standalone page is English
  setNumberLocale(o.translate ? document.documentElement.lang : 'en');
  const client = new UbusClient({ url: o.ubuspath || '/ubus/', ...(o.sessionid ? { sid: o.sessionid } : {}) });
  const app = new AppModel(client, {
    standalone: o.standalone === true,
    readonly: o.readonly === true,
    onSessionExpired: o.onSessionExpired,
    storage: o.standalone ? storage() : null,
    ...(o.pollMs ? { pollMs: o.pollMs } : {}),
    ...(o.poll && typeof o.poll.add === 'function' ? { poll: o.poll } : {}),
  });
  render(h(App, { app }), el);
  app.start();
  return {
    unmount(): void {
      app.stop();
      render(null, el);
    },
  };
}

declare global {
  interface Window {
    LuciOffload?: { mount: typeof mount };
  }
}

window.LuciOffload = { mount };
