import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDocument } from './fakeDom.mjs';

const doc = installFakeDocument();
await import('../../main/web/panels/trainingPanel.js');
await import('../../main/web/panels/gridPanel.js');
await import('../../main/web/panels/datasetPanel.js');
const { registerBakehouseExtension, EXTENSION_NAME } = await import('../../main/web/extension/comfyExtension.js');

/** ComfyUI's `api` as the panels see it: an EventTarget with fetchApi/apiURL. */
function fakeComfyApi(routes) {
  const api = new EventTarget();
  api.requests = [];
  api.fetchApi = async (path, init) => {
    api.requests.push([init?.method ?? 'GET', path]);
    const body = routes[path.split('?')[0]];
    return new Response(body === undefined ? '' : JSON.stringify(body), { status: body === undefined ? 404 : 200 });
  };
  api.apiURL = (path) => `/api${path}`;
  return api;
}

function fakeApp({ sidebar }) {
  const app = { extensions: [], tabs: [] };
  app.registerExtension = (extension) => app.extensions.push(extension);
  if (sidebar) app.extensionManager = { registerSidebarTab: (tab) => app.tabs.push(tab) };
  return app;
}

const ROUTES = { '/history': {}, '/bakehouse/datasets': { datasets: [] } };
const trainStep = (step, loss) => ({
  status: 'training', prompt_id: 'p1', node: '4', step, max_steps: 3, epoch: 1, loss, avr_loss: loss,
  lr: { unet: 1e-4 },
});

test('extension_registersWithComfyApp_andAddsOneSidebarTabPerPanel', () => {
  const app = fakeApp({ sidebar: true });
  registerBakehouseExtension(app, fakeComfyApi(ROUTES), doc);
  assert.equal(app.extensions.length, 1);
  assert.equal(app.extensions[0].name, EXTENSION_NAME);
  app.extensions[0].setup(app);
  assert.deepEqual(app.tabs.map((t) => t.id), ['bakehouse-training', 'bakehouse-grid', 'bakehouse-dataset']);
  assert.ok(app.tabs.every((t) => t.type === 'custom' && typeof t.render === 'function' && t.icon));
});

test('extension_chartsBakehouseTrainEventsFromComfyApi_evenWhileTheTabIsClosed', () => {
  const app = fakeApp({ sidebar: true });
  const comfyApi = fakeComfyApi(ROUTES);
  registerBakehouseExtension(app, comfyApi, doc);
  app.extensions[0].setup(app);
  // Events before the tab was ever opened still land in the chart.
  comfyApi.dispatchEvent(new CustomEvent('bakehouse.train', { detail: trainStep(1, 0.5) }));
  comfyApi.dispatchEvent(new CustomEvent('bakehouse.train', { detail: trainStep(2, 0.25) }));
  const host = doc.createElement('div');
  app.tabs[0].render(host);
  const panel = host.children[0];
  assert.equal(panel.dataset.points, '2');
  assert.equal(panel.dataset.status, 'training');
  const summary = panel.findAll('training-summary')[0];
  assert.match(summary.textContent, /step 2\/3/);
  const canvas = panel.findAll('training-chart')[0];
  assert.ok(canvas.drawn.some(([op]) => op === 'lineTo'), 'the chart drew its lines');
  comfyApi.dispatchEvent(new CustomEvent('bakehouse.train', { detail: trainStep(3, 0.125) }));
  app.tabs[0].render(host); // reopening the tab shows the same, still-updated panel
  assert.equal(host.children[0].dataset.points, '3');
});

test('extension_withoutSidebarApi_floatsThePanelsOverThePage', () => {
  const app = fakeApp({ sidebar: false });
  registerBakehouseExtension(app, fakeComfyApi(ROUTES), doc);
  app.extensions[0].setup(app);
  const box = doc.body.findAll('bakehouse-floating').at(-1);
  assert.ok(box, 'a floating box was added to the page');
  assert.deepEqual(box.findAll('panel-tab').map((t) => t.dataset.panel), ['training', 'grid', 'dataset']);
});

test('extension_readsGridsAndDatasetsThroughComfyFetchApi', async () => {
  const app = fakeApp({ sidebar: true });
  const comfyApi = fakeComfyApi(ROUTES);
  registerBakehouseExtension(app, comfyApi, doc);
  app.extensions[0].setup(app);
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(comfyApi.requests.some(([, path]) => path.startsWith('/history')));
  assert.ok(comfyApi.requests.some(([, path]) => path === '/bakehouse/datasets'));
});
