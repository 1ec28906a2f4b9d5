// Browser test of a training prompt in the editor, run by node-server's EditorBrowserTest: the
// train-then-test API prompt (PROMPT_FILE) is loaded through the Load button, queued, and the
// Training panel charts TrainLoRA's steps from its bakehouse.train events until it finishes and
// the sample is previewed. Env: see harness.mjs, plus PROMPT_FILE and TRAIN_STEPS.
import { runFlow } from './harness.mjs';

const steps = Number(process.env.TRAIN_STEPS);

await runFlow('training-flow', async ({ page, shots, expect }) => {
  await page.setInputFiles('#load-input', process.env.PROMPT_FILE);
  // the file is read and laid out asynchronously: wait for it instead of racing it
  await page.waitForFunction(() => window.bakehouse.editor.graph.nodes.some((n) => n.type === 'TrainLoRA'));
  const types = await page.evaluate(() => window.bakehouse.editor.graph.nodes.map((n) => n.type).sort().join());
  expect(types.includes('TrainLoRA') && types.includes('SaveImage'), true, `train-then-test prompt loaded (${types})`);
  await page.click('.panel-tab[data-panel="training"]');
  await page.click('#queue-button');
  await page.waitForSelector('.training-panel[data-status="finished"]', { timeout: 120_000 });
  expect(await page.getAttribute('.training-panel', 'data-points'), String(steps), 'one chart point per training step');
  await page.waitForFunction(() => window.bakehouse.editor.tracker.state === 'success', null, { timeout: 60_000 });
  await page.waitForFunction(() => window.bakehouse.editor.graph.nodes.some((n) => n.previewImages?.some((i) => i.complete && i.naturalWidth > 0)));
  const summary = await page.textContent('.training-summary');
  expect(summary.startsWith('TrainLoRA #21: finished'), true, `summary says the run finished (${summary})`);
  await page.screenshot({ path: `${shots}/editor-train-then-test-done.png` });
});
