// `npm start`: Probot's own server (env: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
// LOG_LEVEL, GHE_HOST, GHE_PROTOCOL…; without credentials it serves the manifest flow that registers the app),
// running our app with our Octokit: rate limits are waited out and retried rather than only logged.
import { run } from "probot";
import app from "./app.js";
import { appOctokit } from "./github/octokit.js";

await run(app, { Octokit: appOctokit() });
