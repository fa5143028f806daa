// Browser checks for a generated salesplan site, run by scripts/check-html.
//
//   node scripts/check-html.mjs axe      SITE_DIR...   axe-core WCAG 2.x A/AA, light and dark mode
//   node scripts/check-html.mjs overflow SITE_DIR...   page-level horizontal overflow at 375px
//
// Modules are resolved from CHECK_HTML_NODE_MODULES (target/check-html/node_modules, where
// scripts/check-html installs them). Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM).
// Exit status: 0 clean, 1 findings, 2 tooling problem.

import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TOOL_EXIT = 2;

function die(msg) {
  console.error(`check-html: ${msg}`);
  process.exit(TOOL_EXIT);
}

const [mode, ...siteDirs] = process.argv.slice(2);
if (!['axe', 'overflow'].includes(mode) || siteDirs.length === 0) {
  die('usage: node check-html.mjs axe|overflow SITE_DIR...');
}

const modulesDir = process.env.CHECK_HTML_NODE_MODULES
  || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'target', 'check-html', 'node_modules');
const require = createRequire(path.join(modulesDir, 'noop.js'));
let chromium, axePath;
try {
  ({ chromium } = require('playwright-core'));
  axePath = require.resolve('axe-core/axe.min.js');
} catch (e) {
  die(`cannot load playwright-core/axe-core from ${modulesDir} (${e.message}); run scripts/check-html, which installs them`);
}

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  die(`Chromium not found at ${executablePath} (set CHROMIUM=...); on Debian: apt-get install chromium`);
}

// Debian's Chromium, offline: the background-networking flags keep it from dialling out
// (its connections are refused here), which otherwise slows or breaks page loads.
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MOBILE_WIDTH = 375;
const MAX_TARGETS = 3;
const MAX_OFFENDERS = 5;

function htmlPages(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) die(`not a directory: ${dir}`);
  const pages = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
  if (pages.length === 0) die(`no *.html files in ${dir}`);
  return pages.map((f) => ({ file: path.join(dir, f), label: path.join(dir, f) }));
}

async function openPage(context, file) {
  const page = await context.newPage();
  const resp = await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  if (resp && !resp.ok()) throw new Error(`loading ${file}: HTTP-like status ${resp.status()}`);
  return page;
}

// Runs inside the page (axe already injected): the violations only; "incomplete" results
// (needs review) are not violations and are not reported.
async function axeViolations(runOnly) {
  // eslint-disable-next-line no-undef
  const r = await axe.run(document, { ...runOnly, resultTypes: ['violations'] });
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
  }));
}

async function runAxe(browser, pages) {
  let violations = 0;
  let checked = 0;
  const byRule = new Map();
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    for (const { file, label } of pages) {
      const page = await openPage(context, file);
      // Guard against a silent false negative: the emulation must really be in effect.
      const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
      if (dark !== (scheme === 'dark')) throw new Error(`prefers-color-scheme emulation failed on ${label} (${scheme})`);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(axeViolations, { runOnly: { type: 'tag', values: WCAG_TAGS } });
      // axe cannot compute contrast over a background gradient (the tables' scroll shadows)
      // and leaves that text "incomplete". Check it again with background images switched
      // off, so the text is measured against the solid colour underneath; keep only what the
      // first pass could not already judge.
      await page.addStyleTag({ content: '*, *::before, *::after { background-image: none !important; }' });
      const seen = new Set(result.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target}`)));
      const again = (await page.evaluate(axeViolations, { runOnly: { type: 'rule', values: ['color-contrast'] } }))
        .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !seen.has(`${v.id} ${n.target}`)) }))
        .filter((v) => v.nodes.length);
      checked++;
      for (const [v, how] of [...result.map((v) => [v, scheme]), ...again.map((v) => [v, `${scheme}, gradients off`])]) {
        violations++;
        const targets = v.nodes.slice(0, MAX_TARGETS).map((n) => n.target).join(' | ');
        const more = v.nodes.length > MAX_TARGETS ? ` (+${v.nodes.length - MAX_TARGETS} more)` : '';
        console.log(`${label} [${how}] ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s): ${targets}${more}`);
        for (const n of v.nodes.slice(0, 1)) {
          console.log(`    e.g. ${n.html.slice(0, 200)}`);
          if (n.summary) console.log(`    ${n.summary.split('\n').slice(0, 2).join(' / ').slice(0, 300)}`);
        }
        const key = `${v.id} (${v.impact})`;
        byRule.set(key, (byRule.get(key) || 0) + 1);
      }
      await page.close();
    }
    await context.close();
  }
  const rules = [...byRule].map(([k, n]) => `${k} ×${n}`).join(', ');
  const status = violations ? 'FAIL' : 'ok';
  console.log(`axe (WCAG ${WCAG_TAGS.join(',')}): ${status} — ${checked} page loads (${pages.length} pages × light/dark), ${violations} violation(s)${rules ? `: ${rules}` : ''}`);
  return violations;
}

// Runs inside the page: which elements (or text runs) stick out past the right edge of the
// viewport without an ancestor that clips or scrolls them? Reports the origins of the
// overflow (elements whose parent does not itself stick out), widest first.
function findOverflow(maxOffenders) {
  const vw = document.documentElement.clientWidth;
  const sw = document.documentElement.scrollWidth;
  const clips = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const pathOf = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) {
      let s = e.localName;
      if (e.id) { parts.unshift(`${s}#${e.id}`); break; }
      const cls = [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
      s += cls;
      const sibs = e.parentElement ? [...e.parentElement.children].filter((c) => c.localName === e.localName) : [];
      if (sibs.length > 1) s += `:nth-of-type(${sibs.indexOf(e) + 1})`;
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    return r.width > 0 && r.right > vw + 0.5 && st.position !== 'fixed' && st.visibility !== 'hidden';
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clips(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && sticksOut(parent)) continue; // inherited, not the origin
    const r = el.getBoundingClientRect();
    found.push({ where: pathOf(el), right: Math.round(r.right), width: Math.round(r.width), html: el.outerHTML.slice(0, 160) });
  }
  // Text that overflows a box that itself fits (an unbreakable word, a nowrap run).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim() || !t.parentElement || clips(t) || sticksOut(t.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 0.5) {
      found.push({ where: `${pathOf(t.parentElement)} (text)`, right: Math.round(r.right), width: Math.round(r.width), html: t.textContent.trim().slice(0, 160) });
    }
  }
  found.sort((a, b) => b.right - a.right);
  return { vw, sw, offenders: found.slice(0, maxOffenders), total: found.length };
}

async function runOverflow(browser, pages) {
  let failing = 0;
  const context = await browser.newContext({
    viewport: { width: MOBILE_WIDTH, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  for (const { file, label } of pages) {
    const page = await openPage(context, file);
    const r = await page.evaluate(findOverflow, MAX_OFFENDERS);
    if (r.vw !== MOBILE_WIDTH) throw new Error(`viewport is ${r.vw}px, not ${MOBILE_WIDTH}px, on ${label}`);
    if (r.sw > r.vw) {
      failing++;
      console.log(`${label}: page is ${r.sw}px wide at a ${r.vw}px viewport (scrolls sideways); ${r.total} origin(s), widest:`);
      for (const o of r.offenders) console.log(`    ${o.where} — right edge ${o.right}px, width ${o.width}px: ${o.html.replace(/\s+/g, ' ')}`);
      if (r.offenders.length === 0) console.log('    (no single element found: check margins/negative offsets)');
    }
    await page.close();
  }
  await context.close();
  console.log(`mobile overflow (${MOBILE_WIDTH}px): ${failing ? 'FAIL' : 'ok'} — ${pages.length} pages, ${failing} overflow the viewport`);
  return failing;
}

const pages = siteDirs.flatMap(htmlPages);
let browser;
try {
  browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
} catch (e) {
  die(`cannot start Chromium at ${executablePath}: ${e.message.split('\n')[0]}`);
}
let problems;
try {
  problems = mode === 'axe' ? await runAxe(browser, pages) : await runOverflow(browser, pages);
} catch (e) {
  await browser.close();
  die(`${mode} check failed to run: ${e.stack || e}`);
}
await browser.close();
process.exit(problems ? 1 : 0);
