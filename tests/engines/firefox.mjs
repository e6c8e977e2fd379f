// Smoke test in Firefox (Debian's firefox-esr driven over WebDriver BiDi by puppeteer-core), for
// tests/test_engines.py: node firefox.mjs FIREFOX PLAN.json prints one result per page as JSON.
// PLAN.json: {"pages": [{"url", "counterpart"}], "checks": {name: page function source}} (shared with WebKit).
import { readFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [executablePath, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, "utf-8"));
// Progress on stderr: a failure names the step it stopped at.
const start = Date.now();
const step = (url, name) => process.stderr.write(`${(Date.now() - start) / 1000} s ${url}: ${name}\n`);
const check = (page, name, ...args) => page.evaluate(`(${plan.checks[name]})(...${JSON.stringify(args)})`);

const browser = await puppeteer.launch({
  browser: "firefox", executablePath, headless: true,
  extraPrefsFirefox: { "browser.shell.checkDefaultBrowser": false, "app.update.enabled": false },
});
const results = [];
try {
  for (const { url, counterpart } of plan.pages) {
    const page = await browser.newPage();
    const result = { url, errors: [], problems: [] };
    page.on("console", (message) => message.type() === "error" && result.errors.push(message.text()));
    page.on("pageerror", (error) => result.errors.push(String(error)));
    await page.evaluateOnNewDocument(`(${plan.checks.record_problems})()`);
    await page.setViewport({ width: 1280, height: 800 });
    const response = await page.goto(url, { waitUntil: "load" });
    result.csp = response.headers()["content-security-policy"] || "";
    step(url, "search");
    // Search: its field opens it (single-key shortcuts are off), results show as one types.
    await page.click(plan.selectors.search);
    await page.keyboard.type(plan.query);
    await page.waitForSelector(".md-search-result__item", { visible: true, timeout: 10000 }).catch(() => null);
    result.search_results = await page.$$eval(".md-search-result__item", (items) => items.length);
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.getElementById("__search").checked, { timeout: 5000 });
    await check(page, "settle");
    step(url, "palette");
    // Palette: a real click on its button.
    result.schemes = [await check(page, "scheme")];
    await page.click(plan.selectors.palette);
    await page.waitForFunction((before) => document.body.dataset.mdColorScheme !== before, { timeout: 3000 },
                               result.schemes[0]).catch(() => null);
    result.schemes.push(await check(page, "scheme"));
    await check(page, "settle");
    step(url, "language switch");
    // Language switch.
    result.problems.push(...(await check(page, "problems")));
    const from = page.url();
    await page.click("a.md-header__language");
    for (let tries = 0; page.url() === from && tries < 100; tries++) await new Promise((done) => setTimeout(done, 100));
    await page.waitForFunction(() => document.readyState === "complete", { timeout: 10000 });
    result.landed = [page.url(), await check(page, "language")];
    result.problems.push(...(await check(page, "problems")));
    step(url, "drawer");
    // Drawer on a phone.
    await page.setViewport({ width: 375, height: 800 });
    await page.goto(url, { waitUntil: "load" });
    await page.click(plan.selectors.menu);
    await page.waitForFunction(`(${plan.checks.drawer_open})()`, { timeout: 5000 }).catch(() => null);
    result.drawer_open = await check(page, "drawer_open");
    result.problems.push(...(await check(page, "problems")));
    results.push(result);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
