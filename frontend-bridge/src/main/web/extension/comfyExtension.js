// Bakehouse's panels inside ComfyUI's official frontend. The server lists this bundle under
// GET /extensions; the frontend imports it after its `app` and `api` exist and exposes them as
// window.comfyAPI.app.app / window.comfyAPI.api.api (the same objects legacy extensions import
// from /scripts/app.js and /scripts/api.js, which a bundle cannot import by path).
//
// Each panel becomes a sidebar tab (app.extensionManager.registerSidebarTab, frontend 1.2+); on
// frontends without it, a floating box with the same tabs. Panels are created once in `setup`,
// not on every render: the sidebar re-renders a tab each time it opens, and the training chart must
// keep collecting `bakehouse.train` events while its tab is closed.
import { ComfyApiAdapter } from './comfyApiAdapter.js';
import { definedPanels, mountPanels } from '../panels/panels.js';

export const EXTENSION_NAME = 'bakehouse.panels';

/** Registers the extension with `app`; returns the registered extension object. */
export function registerBakehouseExtension(app, comfyApi, doc = globalThis.document) {
  const api = new ComfyApiAdapter(comfyApi);
  const extension = {
    name: EXTENSION_NAME,
    setup(readyApp) {
      const ctx = { api, app: readyApp ?? app };
      const manager = (readyApp ?? app).extensionManager;
      if (typeof manager?.registerSidebarTab === 'function') {
        for (const panel of definedPanels()) {
          const element = panel.create(ctx);
          element.classList.add('bakehouse-sidebar-panel');
          manager.registerSidebarTab({
            id: `bakehouse-${panel.id}`,
            icon: panel.icon ?? 'pi pi-chart-line',
            title: panel.title,
            tooltip: `Bakehouse: ${panel.title}`,
            type: 'custom',
            render: (host) => host.replaceChildren(element),
          });
        }
      } else {
        const box = doc.createElement('aside');
        box.className = 'bakehouse-floating';
        doc.body.append(box);
        mountPanels(box, ctx);
      }
    },
  };
  app.registerExtension(extension);
  return extension;
}
