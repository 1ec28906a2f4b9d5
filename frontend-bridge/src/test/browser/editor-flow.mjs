// Browser test of the served editor, run by node-server's EditorBrowserTest (which starts a
// server with the tiny fixture model). By UI actions it builds a text-to-image graph from the
// palette, sees a validation error land on the node, connects the rest, sets widgets, queues,
// waits for the preview image, saves both formats, loads an API prompt, then restores the
// workflow by dropping the saved PNG. Env: see harness.mjs.
import { runFlow, streamText } from './harness.mjs';

await runFlow('editor-flow', async ({ page, shots, expect }) => {
  const canvas = page.locator('#graph');
  let box = await canvas.boundingBox();

  // Nodes: search the palette, drag the match onto the canvas at a chosen place.
  const place = [
    ['CheckpointLoaderSimple', 'checkpoint', 40, 60],
    ['CLIPTextEncode', 'clip text encode', 360, 20],
    ['CLIPTextEncode', 'clip text encode', 360, 250],
    ['EmptyLatentImage', 'empty latent', 360, 480],
    ['KSampler', 'ksampler', 680, 60],
    ['VAEDecode', 'vae decode', 980, 60],
    ['PreviewImage', 'preview image', 980, 200],
  ];
  const ids = [];
  for (const [type, query, x, y] of place) {
    await page.fill('.palette-search', query);
    const item = page.locator(`.palette-item[data-node-type="${type}"]`);
    await item.dragTo(canvas, { targetPosition: { x, y } });
    ids.push(await page.evaluate(() => window.bakehouse.editor.graph.nodes.at(-1).id));
  }
  const [ckpt, positive, negative, latent, sampler, decode, preview] = ids;
  const types = await page.evaluate(() => window.bakehouse.editor.graph.nodes.map((n) => n.type));
  expect(types.join(), place.map((p) => p[0]).join(), 'nodes added from the palette');

  // Screen position of a slot or widget, read from the live graph (litegraph draws on a canvas).
  const slot = (node, isInput, name) => page.evaluate(([id, input, slotName]) => {
    const { editor } = window.bakehouse;
    const target = editor.graph.getNodeById(id);
    const index = input ? target.findInputSlot(slotName) : target.findOutputSlot(slotName);
    const [x, y] = editor.canvas.ds.convertOffsetToCanvas(target.getConnectionPos(input, index));
    return { x, y };
  }, [node, isInput, name]);
  const widgetPoint = (node, name) => page.evaluate(([id, widgetName]) => {
    const { editor } = window.bakehouse;
    const target = editor.graph.getNodeById(id);
    const widget = target.widgets.find((w) => w.name === widgetName);
    const [x, y] = editor.canvas.ds.convertOffsetToCanvas([target.pos[0] + target.size[0] / 2, target.pos[1] + widget.y + 10]);
    return { x, y };
  }, [node, name]);
  const connect = async (from, output, to, input) => {
    box = await canvas.boundingBox();
    const a = await slot(from, false, output);
    const b = await slot(to, true, input);
    await page.mouse.move(box.x + a.x, box.y + a.y);
    await page.mouse.down();
    await page.mouse.move(box.x + (a.x + b.x) / 2, box.y + (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(box.x + b.x, box.y + b.y, { steps: 5 });
    await page.mouse.up();
  };
  const setWidget = async (node, name, value) => {
    const p = await widgetPoint(node, name);
    await page.mouse.click(box.x + p.x, box.y + p.y);
    const field = page.locator('.graphdialog .value');
    await field.fill(String(value));
    await page.locator('.graphdialog button').click();
  };

  await connect(ckpt, 'MODEL', sampler, 'model');
  await connect(ckpt, 'CLIP', positive, 'clip');
  await connect(ckpt, 'CLIP', negative, 'clip');
  await connect(positive, 'CONDITIONING', sampler, 'positive');
  await connect(negative, 'CONDITIONING', sampler, 'negative');
  await connect(sampler, 'LATENT', decode, 'samples');
  await connect(ckpt, 'VAE', decode, 'vae');
  await connect(decode, 'IMAGE', preview, 'images');
  // A typed link refuses a wrong type: CLIP into the sampler's latent input does not connect.
  await connect(ckpt, 'CLIP', sampler, 'latent_image');
  const links = await page.evaluate(() => [...window.bakehouse.editor.graph.links.values()]
    .map((l) => `${l.origin_id}:${l.origin_slot}->${l.target_id}:${l.target_slot}`).sort().join(' '));
  expect(links, [[ckpt, 0, sampler, 0], [ckpt, 1, positive, 0], [ckpt, 1, negative, 0], [positive, 0, sampler, 1],
    [negative, 0, sampler, 2], [sampler, 0, decode, 0], [ckpt, 2, decode, 1], [decode, 0, preview, 0]]
    .map(([a, b, c, d]) => `${a}:${b}->${c}:${d}`).sort().join(' '), 'links made by dragging (the mistyped one refused)');

  await setWidget(latent, 'width', 64);
  await setWidget(latent, 'height', 64);
  await setWidget(sampler, 'steps', 2);
  await setWidget(positive, 'text', 'a red circle, blue background');
  const values = await page.evaluate(([l, s, p]) => {
    const g = window.bakehouse.editor.graph;
    const w = (id, name) => g.getNodeById(id).widgets.find((x) => x.name === name).value;
    return [w(l, 'width'), w(l, 'height'), w(s, 'steps'), w(p, 'text')];
  }, [latent, sampler, positive]);
  expect(values.join('|'), '64|64|2|a red circle, blue background', 'widgets set through their dialogs');

  // Queue with the latent input still open: the server's 400 lands on KSampler's input.
  await page.click('#queue-button');
  await page.waitForSelector('#message:not([hidden])');
  const errors = await page.evaluate((id) => window.bakehouse.editor.graph.getNodeById(id).validationErrors, sampler);
  expect(errors.map((e) => e.input).join(), 'latent_image', 'validation error on the offending input');
  await page.screenshot({ path: `${shots}/editor-validation-error.png` });

  await connect(latent, 'LATENT', sampler, 'latent_image');
  await page.click('.panel-tab[data-panel="queue"]');
  await page.evaluate(() => {
    window.seenProgress = [];
    window.bakehouse.api.on('progress', (d) => window.seenProgress.push(
      `${d.node}:${d.value}/${d.max}=${window.bakehouse.editor.tracker.nodeOf(d.node)?.progress}`));
  });
  await page.click('#queue-button');
  await page.waitForSelector('.history-item .history-status.success', { timeout: 90_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.history-item img.preview-image')]
    .some((img) => img.complete && img.naturalWidth === 64));
  await page.waitForFunction((id) => window.bakehouse.editor.graph.getNodeById(id).previewImages
    .some((img) => img.complete && img.naturalWidth === 64), preview);
  const seen = await page.evaluate(() => window.seenProgress.join(' '));
  expect(seen.includes(`${sampler}:2/2=1`), true, `sampler step progress drawn on its node (${seen})`);
  await page.waitForSelector('.queue-section >> text=Nothing queued.');
  const progress = await page.evaluate(() => [window.bakehouse.editor.tracker.state, document.querySelector('#overall-progress').value]);
  expect(progress.join(), 'success,1', 'overall progress after the run');
  await page.evaluate(() => window.bakehouse.editor.canvas.setDirty(true, true));
  await page.waitForTimeout(300); // one animation frame or so for the canvas to draw the image
  await page.screenshot({ path: `${shots}/editor-text-to-image-done.png` });

  // Save downloads the UI workflow; Load reads an API-format prompt back through the file picker.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-button')]);
  const saved = JSON.parse(await streamText(await download.createReadStream()));
  expect(saved.nodes.length, 7, 'saved UI workflow nodes');
  const [apiDownload] = await Promise.all([page.waitForEvent('download'), page.click('#save-api-button')]);
  const apiPrompt = JSON.parse(await streamText(await apiDownload.createReadStream()));
  expect(apiPrompt[String(sampler)].inputs.steps, 2, 'saved API prompt carries the widget value');
  apiPrompt[String(sampler)].inputs.steps = 3;
  await page.setInputFiles('#load-input', { name: 'workflow_api.json', mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(apiPrompt)) });
  // the file is read and laid out asynchronously: wait for the edited value instead of racing it
  await page.waitForFunction((id) => {
    const node = window.bakehouse.editor.graph.getNodeById(id);
    return node?.widgets?.find((w) => w.name === 'steps')?.value === 3;
  }, sampler);
  const loaded = await page.evaluate((id) => {
    const g = window.bakehouse.editor.graph;
    return [g.nodes.length, g.links.size, g.getNodeById(id).widgets.find((w) => w.name === 'steps').value];
  }, sampler);
  expect(loaded.join(), '7,9,3', 'API prompt loaded: nodes, links, widget value');
  await page.screenshot({ path: `${shots}/editor-api-prompt-loaded.png` });

  // Dropping the preview PNG restores its workflow (from the PNG's "workflow" text chunk).
  const src = await page.locator('.history-item img.preview-image').first().getAttribute('src');
  await page.click('#clear-button');
  expect(await page.evaluate(() => window.bakehouse.editor.graph.nodes.length), 0, 'cleared');
  await page.evaluate(async (imageUrl) => {
    const bytes = await (await fetch(imageUrl)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'preview.png', { type: 'image/png' }));
    document.querySelector('#graph').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, src);
  await page.waitForFunction(() => window.bakehouse.editor.graph.nodes.length === 7);
  const restoredSteps = await page.evaluate((id) => window.bakehouse.editor.graph.getNodeById(id).widgets
    .find((w) => w.name === 'steps').value, sampler);
  expect(restoredSteps, 2, 'steps restored from the PNG');
  await page.screenshot({ path: `${shots}/editor-restored-from-png.png` });

  // A long sampling run stops at Interrupt: the run ends as interrupted and the banner says so.
  await setWidget(sampler, 'steps', 400);
  await page.evaluate(() => { window.seenProgress = []; });
  await page.click('#queue-button');
  await page.waitForFunction(() => window.seenProgress.length > 0, null, { timeout: 60_000 });
  await page.click('#interrupt-button');
  await page.waitForFunction(() => window.bakehouse.editor.tracker.state === 'interrupted', null, { timeout: 60_000 });
  expect(await page.textContent('#message'), 'Interrupted', 'banner after Interrupt');
  const stepsRun = await page.evaluate(() => window.seenProgress.length);
  expect(stepsRun < 400, true, `sampling stopped early (${stepsRun} of 400 steps)`);
});
