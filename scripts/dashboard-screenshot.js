// `npm run dashboard:screenshot`: the README's picture of the org page (docs/images/org-dashboard.png), taken
// in Debian's Chromium from the demo org (npm run dashboard:demo), so that anyone can make it again.
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const port = 3000 + Math.floor(Math.random() * 1000);
const demo = fork(new URL("../dist/web/demo-server.js", import.meta.url), [], {
  env: { ...process.env, PORT: String(port), DEMO_REPOS: "24" },
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
await new Promise((ready) => demo.stdout.on("data", (chunk) => String(chunk).includes("dashboard demo on") && ready()));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${port}/orgs/acme`);
  mkdirSync("docs/images", { recursive: true });
  await page.screenshot({ path: "docs/images/org-dashboard.png" });
  console.log("wrote docs/images/org-dashboard.png");
} finally {
  await browser.close();
  demo.kill();
}
