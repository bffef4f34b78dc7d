// Bundles the viewer into one ES module plus its page and style sheet, so the service can serve
// everything itself: no CDN, the page works on a network without internet access.
// Usage: node build.mjs [OUTDIR]   (the Maven build passes target/classes/org/cohortflow/tasks/viewer/static)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const outdir = process.argv[2] ?? 'dist';
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: ['src/viewer.js'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  outfile: join(outdir, 'viewer.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'viewer.css']) copyFileSync(join('src', f), join(outdir, f));
console.log(`viewer bundled into ${outdir}`);
