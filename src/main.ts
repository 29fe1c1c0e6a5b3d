// `npm start`: Probot's own server (env: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
// LOG_LEVEL, GHE_HOST, GHE_PROTOCOL…; without credentials it serves the manifest flow that registers the app),
// running our app with our Octokit: rate limits are waited out and retried rather than only logged.
// The badge service (DATABASE_PATH, SCAN_RETENTION_DAYS, BADGE_SECRET, METRICS_TOKEN) records every completed
// scan and serves /badges, /api/repos/…/history, /healthz and /metrics on the same server (docs/badges.md).
// People's credits follow every default-branch scan (docs/people.md), then the progression issue, which names
// who earned each milestone; BADGE_BASE_URL puts the badge snippet in it.
// The dashboard (/, /orgs/…, /api/orgs/…; GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, SESSION_SECRET, PUBLIC_URL for
// sign-in) reads the same store and keeps each default branch's report (docs/dashboard.md).
import { run } from "probot";
import { createApp } from "./app.js";
import { defaultRules } from "./engine/index.js";
import { CreditRecorder, milestoneEarners } from "./github/credits.js";
import { appOctokit } from "./github/octokit.js";
import { progressionFromEnv } from "./github/progression.js";
import { createBadgeService } from "./http/service.js";
import { openStore } from "./store/index.js";
import { StoreError } from "./store/store.js";
import { setV8Flags } from "./v8-flags.js";
import { createDashboardService } from "./web/service.js";

setV8Flags();
const badges = createBadgeService(await openStoreOrExit());
const credits = new CreditRecorder({ store: badges.store, levels: defaultRules().levels });
const progression = progressionFromEnv(process.env, (repo) => milestoneEarners(badges.store, repo));
const dashboard = createDashboardService({
  dashboard: badges.store.dashboard,
  scans: badges.store.scans,
  credits: badges.store.credits,
});
const app = createApp({
  metrics: badges.metrics,
  onScanComplete: [badges.onScanComplete, dashboard.onScanComplete, credits.hook, progression.hook],
});

await run(
  async (probot, options) => {
    progression.log = probot.log;
    credits.log = probot.log;
    await app(probot, options);
    badges.app(probot, options);
    dashboard.app(probot, options);
  },
  { Octokit: appOctokit() },
);

/** An unusable database stops the app at start, with the file and the fix in one line. */
async function openStoreOrExit() {
  try {
    return await openStore();
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
