// Browser test of the Bakehouse panels in the editor, run by node-server's EditorBrowserTest:
// the Dataset panel lists DATASET's images and a caption edited there is saved (the Java side
// checks the .txt file); the lora-grid prompt (PROMPT_FILE) runs and the Grids panel shows its
// cells as a table, a clicked cell full size with its settings. Env: see harness.mjs, plus
// DATASET, CAPTION, PROMPT_FILE.
import { runFlow } from './harness.mjs';

await runFlow('panels-flow', async ({ page, shots, expect }) => {
  await page.click('.panel-tab[data-panel="dataset"]');
  await page.selectOption('.dataset-picker', process.env.DATASET);
  await page.waitForSelector(`.dataset-panel[data-dataset="${process.env.DATASET}"] .dataset-item`);
  const items = await page.locator('.dataset-item').count();
  expect(items, Number(await page.getAttribute('.dataset-panel', 'data-images')), 'one row per image');
  await page.waitForFunction(() => [...document.querySelectorAll('.dataset-item img')].every((i) => i.complete && i.naturalWidth > 0));
  const caption = page.locator('.dataset-caption').first();
  await caption.fill(process.env.CAPTION);
  await caption.press('Tab'); // the change event saves it
  await page.waitForSelector('.dataset-caption.saved');
  expect(await caption.getAttribute('title'), 'saved to 2_kiki/img_00.txt', 'the caption went to the .txt beside the image');
  await page.screenshot({ path: `${shots}/editor-dataset-view.png` });

  await page.setInputFiles('#load-input', process.env.PROMPT_FILE);
  await page.waitForFunction(() => window.bakehouse.editor.graph.nodes.some((n) => n.type === 'SampleGrid'));
  await page.click('.panel-tab[data-panel="grid"]');
  await page.click('#queue-button');
  await page.waitForSelector('.grid-panel[data-grids="1"] img.grid-cell', { timeout: 120_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('img.grid-cell')].every((i) => i.complete && i.naturalWidth > 0));
  expect(await page.locator('img.grid-cell').count(), 6, 'a 3 × 2 grid of cells');
  const headers = await page.locator('.grid-table th').allTextContents();
  expect(headers.slice(1, 4).join('|'), '0|0.5|1', 'the X axis labels head the columns');
  await page.fill('.grid-zoom', '160');
  await page.screenshot({ path: `${shots}/editor-grid-viewer.png` });
  await page.click('img.grid-cell[data-cell="2,1,0"]');
  const settings = await page.locator('.bakehouse-overlay .cell-settings').textContent();
  expect(settings.includes('X: Strength1') && settings.includes('Y: Seed43'), true, `the cell's settings (${settings})`);
  await page.screenshot({ path: `${shots}/editor-grid-cell.png` });
  await page.keyboard.press('Escape');
  expect(await page.locator('.bakehouse-overlay').count(), 0, 'Escape closes the cell');
});
