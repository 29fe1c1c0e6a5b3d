// The app's GitHub clients outside a webhook: one per installation, made once (its token refreshes itself and
// its throttling spaces this process's writes), counted in /metrics and read by the queue's rate budget.
import type { Probot } from "probot";
import type { RateBudget } from "../jobs/budget.js";
import { instrumentOctokit, type Metrics } from "../metrics.js";
import type { GitHubApi } from "../sources/github-api.js";

export function installationClients(
  probot: Pick<Probot, "auth">,
  options: { metrics?: Metrics; budget?: RateBudget } = {},
): (installationId: number) => Promise<GitHubApi> {
  const clients = new Map<number, Promise<GitHubApi>>();
  return (installationId) => {
    let client = clients.get(installationId);
    if (!client) {
      client = probot.auth(installationId).then((octokit) => {
        if (options.metrics) instrumentOctokit(octokit, options.metrics);
        const { budget } = options;
        if (budget) octokit.hook.after("request", (r) => budget.note(installationId, r.headers));
        return octokit as unknown as GitHubApi;
      });
      client.catch(() => clients.delete(installationId));
      clients.set(installationId, client);
    }
    return client;
  };
}
