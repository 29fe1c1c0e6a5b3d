// The app's GitHub client: Probot's Octokit with our rate-limit policy (client-limits.ts).
import { ProbotOctokit } from "probot";
import { type ClientTuning, retryOptions, throttleOptions } from "./client-limits.js";

/** Probot's Octokit with our rate-limit policy; `run(app, { Octokit: appOctokit() })` uses it. */
export function appOctokit(tuning: ClientTuning = {}): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object), ...throttleOptions(tuning) },
    retry: { ...(options.retry as object), ...retryOptions(tuning) },
  })) as typeof ProbotOctokit;
}
