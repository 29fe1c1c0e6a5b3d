// Names of deployment environments, and the variables that usually carry one.

const ENVIRONMENT_NAMES = new Set([
  "production",
  "prod",
  "prd",
  "live",
  "staging",
  "stage",
  "stg",
  "preprod",
  "pre-prod",
  "preproduction",
  "development",
  "dev",
  "test",
  "testing",
  "qa",
  "uat",
  "sandbox",
  "demo",
  "preview",
  "integration",
  "perf",
]);

/** `production`, `Staging`, `"prod"` → the lower-case name; anything else → undefined */
export function environmentName(word: string): string | undefined {
  const w = word.replace(/^["']|["']$/g, "").toLowerCase();
  return ENVIRONMENT_NAMES.has(w) ? w : undefined;
}

/** Names that also mean other things in paths and arguments (test/, demo-app, perf/) */
const AMBIGUOUS = new Set(["test", "testing", "demo", "perf", "integration", "preview", "live"]);

/**
 * A file or directory name that stands for an environment: `values-prod.yaml`, `prod.tfvars`, `deploy.staging.yml`.
 * `unambiguous` skips names that often mean something else in a path (test/, demo/).
 */
export function environmentInName(name: string, unambiguous = false): string | undefined {
  for (const part of name.toLowerCase().split(/[._\-/:]/)) {
    const env = environmentName(part);
    if (env && !(unambiguous && AMBIGUOUS.has(env))) return env;
  }
  return undefined;
}

/** ENV, ENVIRONMENT, STAGE, DEPLOY_ENV, APP_ENV, TARGET_ENV, TF_WORKSPACE … */
export const ENVIRONMENT_VARIABLE = /^(?:[A-Za-z0-9]+_)*(?:ENV|ENVIRONMENT|STAGE|WORKSPACE|DESTINATION)$/i;
