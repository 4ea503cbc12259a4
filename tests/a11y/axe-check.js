#!/usr/bin/env node
// Run axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium over every
// HTML page under a folder, and print one JSON report on stdout:
//   {"pages": [{"page", "violations": [{"id", "impact", "help", "nodes": [...]}],
//               "external_requests": [...], "focus_not_visible": [...]}]}
// Besides axe's rules it checks what axe cannot: that the first tab stops of
// each page show a focus indicator (WCAG 2.4.7), and that nothing is loaded
// from outside the folder.
// Exit status: 0 when every page passes, 1 otherwise, 2 on wrong usage.
//
//   node axe-check.js DIR [--chromium /usr/bin/chromium]
"use strict";

const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const axe = require("axe-core");
const { chromium } = require("playwright-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const TAB_STOPS = 12; // how many tab stops of each page are checked for a visible focus
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run",
];

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(full));
    else if (entry.isFile() && entry.name.endsWith(".html")) out.push(full);
  }
  return out.sort();
}

function parseArgs(argv) {
  const args = { dir: null, chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--chromium") args.chromium = argv[++i];
    else if (!args.dir) args.dir = argv[i];
    else return null;
  }
  return args.dir ? args : null;
}

// Tab through the page; a focused element must differ visibly from its unfocused
// self: an outline, or a change of colour, background or box shadow.
async function invisibleFocus(page) {
  const bad = [];
  for (let i = 0; i < TAB_STOPS; i++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const look = (s) => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.color, s.backgroundColor, s.boxShadow].join("|");
      const focused = getComputedStyle(el);
      const outline = focused.outlineStyle !== "none" && parseFloat(focused.outlineWidth) > 0;
      const now = look(focused);
      el.blur();
      const before = look(getComputedStyle(el));
      el.focus({ focusVisible: true });
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.getAttribute("href") ? `[href="${el.getAttribute("href")}"]` : "");
      return { name, visible: outline || now !== before };
    });
    if (seen === null) break;
    if (!seen.visible) bad.push(seen.name);
  }
  return bad;
}

async function checkPage(browser, root, file) {
  const page = await browser.newPage();
  const external = new Set();
  // Nothing may come from outside the package: record and refuse any such request.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://") || url.startsWith("data:")) return route.continue();
    external.add(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  }, TAGS);
  const focusNotVisible = await invisibleFocus(page);
  await page.close();
  return {
    page: path.relative(root, file),
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    })),
    external_requests: [...external].sort(),
    focus_not_visible: focusNotVisible,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write("usage: node axe-check.js DIR [--chromium PATH]\n");
    return 2;
  }
  const root = path.resolve(args.dir);
  const files = htmlFiles(root);
  if (files.length === 0) {
    process.stderr.write(`no HTML files under ${root}\n`);
    return 2;
  }
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const pages = [];
  try {
    for (const file of files) pages.push(await checkPage(browser, root, file));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ axe: axe.version, tags: TAGS, pages }, null, 1) + "\n");
  const bad = pages.some((p) => p.violations.length || p.external_requests.length || p.focus_not_visible.length);
  return bad ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 3;
});
