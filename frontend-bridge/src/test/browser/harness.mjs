// What every browser flow shares: Chromium launched headless from CHROMIUM, the editor opened at
// EDITOR_URL and ready, screenshots in SCREENSHOTS, checks that print "ok - …", and the exit code
// (0 passed, 1 failed: page errors count as failures; a failure screenshot is taken).
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';

/** Runs `flow({page, shots, expect})` on a freshly opened editor, then exits the process. */
export async function runFlow(name, flow) {
  const url = process.env.EDITOR_URL;
  const shots = process.env.SCREENSHOTS;
  if (!url || !process.env.CHROMIUM || !shots) {
    console.error('EDITOR_URL, CHROMIUM and SCREENSHOTS must be set');
    process.exit(2);
  }
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    // The machine's network is closed: without these Chromium keeps dialling Google's hosts.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const failures = [];
  let page = null;
  try {
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 400 from /prompt is an expected answer (validation errors), logged by the browser.
      if (message.type() === 'error' && !message.text().includes('400')) failures.push(`console: ${message.text()}`);
    });
    page.setDefaultTimeout(30_000);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#connection.ok');
    await flow({ page, shots, expect });
  } catch (error) {
    failures.push(error.stack ?? String(error));
    await page?.screenshot({ path: `${shots}/${name}-failure.png` }).catch(() => {});
  } finally {
    await browser.close();
  }
  if (failures.length > 0) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log(`${name} passed`);
}

export function expect(actual, wanted, what) {
  if (actual !== wanted) throw new Error(`${what}: expected ${JSON.stringify(wanted)}, found ${JSON.stringify(actual)}`);
  console.log(`ok - ${what}`);
}

/** The text of a Playwright download stream. */
export async function streamText(stream) {
  const parts = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}
