// Full-page screenshots of a generated salesplan site, for looking at what a build makes.
//
//   node scripts/screenshots.mjs OUT_DIR SITE_DIR...
//
// Writes OUT_DIR/<site>-<page>-<width>.png for every *.html page at 1280 px and 390 px.
// Modules are resolved from CHECK_HTML_NODE_MODULES (installed by scripts/check-html or
// scripts/screenshots); Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM).

import { createRequire } from 'node:module';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, ...siteDirs] = process.argv.slice(2);
if (!outDir || siteDirs.length === 0) {
  console.error('usage: node screenshots.mjs OUT_DIR SITE_DIR...');
  process.exit(2);
}
const require = createRequire(path.join(process.env.CHECK_HTML_NODE_MODULES, 'noop.js'));
const { chromium } = require('playwright-core');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WIDTHS = [1280, 390];

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
let shots = 0;
for (const width of WIDTHS) {
  const mobile = width < 600;
  const context = await browser.newContext({
    viewport: { width, height: 900 }, deviceScaleFactor: 1, isMobile: mobile, hasTouch: mobile,
  });
  for (const site of siteDirs) {
    const name = path.basename(path.resolve(site));
    for (const file of readdirSync(site).filter((f) => f.endsWith('.html')).sort()) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.resolve(site, file)).href, { waitUntil: 'load' });
      // Charts are <img loading="lazy">: load them all before the full-page shot.
      await page.evaluate(async () => {
        for (const img of document.images) img.loading = 'eager';
        await Promise.all([...document.images].map((img) => (img.complete ? null
          : new Promise((done) => { img.onload = done; img.onerror = done; }))));
      });
      const png = path.join(outDir, `${name}-${file.replace(/\.html$/, '')}-${width}.png`);
      await page.screenshot({ path: png, fullPage: true });
      await page.close();
      shots++;
    }
  }
  await context.close();
}
await browser.close();
console.log(`screenshots: ${shots} page(s) into ${outDir}`);
