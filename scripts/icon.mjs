// Renders images/icon.svg to the 128×128 images/icon.png the Marketplace and the Extensions view show
// (vsce refuses SVG icons). Run after editing the SVG: `node scripts/icon.mjs`; needs playwright-core and
// a Chromium (CHROMIUM, default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';

const svg = readFileSync('images/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync('images/icon.png', png);
  console.log(`images/icon.png: ${png.length} bytes`);
} finally {
  await browser.close();
}
