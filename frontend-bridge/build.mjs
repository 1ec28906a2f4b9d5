// Bundles the editor (src/main/web) with esbuild into the jar's resources:
// target/classes/dev/bakehouse/editor/{index.html, editor.js, editor.css}, and the Bakehouse
// panels as a ComfyUI frontend extension: target/classes/dev/bakehouse/extension/bakehouse-panels.js
// (one self-contained ES module; its CSS is inlined as text). Run by Maven's generate-resources
// phase (see pom.xml) or by hand: `npm run build`.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const outdir = process.argv[2] ?? 'target/classes/dev/bakehouse/editor';
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { editor: 'src/main/web/main.js' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  outdir,
  logLevel: 'warning',
});
await copyFile('src/main/web/index.html', `${outdir}/index.html`);
await build({
  entryPoints: { 'bakehouse-panels': 'src/main/web/extension/main.js' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  loader: { '.css': 'text' },
  legalComments: 'none',
  outdir: join(dirname(outdir), 'extension'),
  logLevel: 'warning',
});
