// Bundles the editor (src/main/web) with esbuild into the jar's resources:
// target/classes/dev/bakehouse/editor/{index.html, editor.js, editor.css}. Run by Maven's
// generate-resources phase (see pom.xml) or by hand: `npm run build`.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

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
