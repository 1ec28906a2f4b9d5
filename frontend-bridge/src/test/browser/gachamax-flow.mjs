// Browser test of one GACHAMAX round with the manual picker, run by node-server's
// EditorBrowserTest: the GACHAMAX API prompt (PROMPT_FILE) is loaded and queued; when round 1
// awaits picks, two candidates are picked in the GACHAMAX panel (one caption edited) and
// confirmed, which queues round 2; the timeline then shows both rounds. Env: see harness.mjs,
// plus PROMPT_FILE.
import { runFlow } from './harness.mjs';

await runFlow('gachamax-flow', async ({ page, shots, expect }) => {
  await page.setInputFiles('#load-input', process.env.PROMPT_FILE);
  await page.waitForFunction(() => window.bakehouse.editor.graph.nodes.some((n) => n.type === 'GachamaxRound'));
  await page.click('.panel-tab[data-panel="gachamax"]');
  await page.click('#queue-button');
  await page.waitForSelector('.gachamax-panel[data-rounds="1"][data-status="awaiting_picks"]', { timeout: 120_000 });
  await page.locator('.gachamax-candidate img').nth(0).click();
  await page.locator('.gachamax-candidate img').nth(2).click();
  expect(await page.locator('.gachamax-candidate.selected').count(), 2, 'two candidates selected');
  const caption = page.locator('.gachamax-candidate.selected textarea').first();
  const edited = `${await caption.inputValue()}, edited`;
  await caption.fill(edited);
  await page.screenshot({ path: `${shots}/editor-gachamax-picker.png` });
  await page.click('.gachamax-confirm');
  await page.waitForSelector('.gachamax-panel[data-rounds="2"][data-status="awaiting_picks"]', { timeout: 120_000 });
  const timeline = await page.evaluate(() => window.bakehouse.api.json('/bakehouse/gachamax/browser'));
  expect(timeline.rounds[0].status, 'picked', 'round 1 is picked');
  expect(timeline.rounds[1].dataset.images.length, 3, 'round 2 trained on the image and the two picks');
  expect(timeline.rounds[0].candidates.filter((c) => c.picked).some((c) => c.caption === edited), true,
    'the edited caption was recorded');
  expect(timeline.rounds[1].parent_hash, timeline.rounds[0].lora_hash, 'round 2 names round 1 as its parent');
  expect(await page.locator('.gachamax-round').count(), 2, 'the timeline lists both rounds');
  await page.locator('.gachamax-timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/editor-gachamax-timeline.png` });
});
