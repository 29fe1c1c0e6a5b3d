// Names of deployment environments, and the variables that usually carry one.

const ENVIRONMENT_NAMES = new Set([
  "production", "prod", "prd", "live", "staging", "stage", "stg", "preprod", "pre-prod", "preproduction",
  "development", "dev", "test", "testing", "qa", "uat", "sandbox", "demo", "preview", "integration", "perf",
]);

/** `production`, `Staging`, `"prod"` → the lower-case name; anything else → undefined */
export function environmentName(word: string): string | undefined {
  const w = word.replace(/^["']|["']$/g, "").toLowerCase();
  return ENVIRONMENT_NAMES.has(w) ? w : undefined;
}

/** A file or directory name that stands for an environment: `values-prod.yaml`, `prod.tfvars`, `deploy.staging.yml` */
export function environmentInName(name: string): string | undefined {
  for (const part of name.toLowerCase().split(/[._\-/]/)) {
    const env = environmentName(part);
    if (env) return env;
  }
  return undefined;
}

/** ENV, ENVIRONMENT, STAGE, DEPLOY_ENV, APP_ENV, TARGET_ENV, TF_WORKSPACE … */
export const ENVIRONMENT_VARIABLE = /^(?:[A-Za-z0-9]+_)*(?:ENV|ENVIRONMENT|STAGE|WORKSPACE|DESTINATION)$/i;
