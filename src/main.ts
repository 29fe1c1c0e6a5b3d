// `npm start`: the web server (webhooks, badges, dashboard, /metrics) and the workers, in one process
// (src/runtime.ts lists the settings; `devops-ladder worker` runs workers alone). Without APP_ID and a private
// key, Probot's setup server registers the app (the manifest flow).
import { main } from "./runtime.js";
import { StoreError } from "./store/store.js";
import { setV8Flags } from "./v8-flags.js";

setV8Flags();
try {
  await main("all");
} catch (err) {
  // an unusable database stops the app at start, with the file and the fix in one line
  if (!(err instanceof StoreError)) throw err;
  console.error(err.message);
  process.exit(1);
}
