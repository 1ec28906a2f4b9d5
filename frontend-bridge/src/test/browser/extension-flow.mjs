// Browser test of the Bakehouse extension in a ComfyUI-frontend page, run by node-server's
// EditorBrowserTest with --web-root at the official frontend's files when present, else at
// comfy-standin/ (see its comment). A training prompt (PROMPT_FILE, API format) is queued over
// HTTP with the page's client id; the Bakehouse Training sidebar tab charts every step.
// Env: see harness.mjs, plus PROMPT_FILE and TRAIN_STEPS.
import { readFile } from 'node:fs/promises';
import { runFlow } from './harness.mjs';

const steps = Number(process.env.TRAIN_STEPS);

await runFlow('extension-flow', async ({ page, shots, expect }) => {
  const names = await page.evaluate(() => window.standin.app.extensions.map((e) => e.name).join());
  expect(names, 'bakehouse.panels', 'the page loaded the extension listed by /extensions');
  await page.click('.sidebar-tab[data-tab="bakehouse-training"]');
  const prompt = JSON.parse(await readFile(process.env.PROMPT_FILE, 'utf8'));
  const status = await page.evaluate(async (body) => {
    const { api } = window.standin;
    const response = await api.fetchApi('/prompt', { method: 'POST', body: JSON.stringify({ prompt: body, client_id: api.clientId }) });
    return response.status;
  }, prompt);
  expect(status, 200, 'the training prompt was queued');
  await page.waitForSelector('.training-panel[data-status="finished"]', { timeout: 120_000 });
  expect(await page.getAttribute('.training-panel', 'data-points'), String(steps), 'one chart point per training step');
  await page.screenshot({ path: `${shots}/extension-training-chart.png` });
});
