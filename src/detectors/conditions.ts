// `applies_if:` conditions, by condition id: whether a signal applies to this repository at all.
// They are not signals and score nothing; a signal whose condition does not hold is not applicable, with the
// rule's `na_reason` or else the condition's reason. Signals' detectors are in the task modules, keyed by signal id.
import { type Condition, doesNotHold, holds } from "../engine/detector.js";
import { terraformConfigs, terraformModules, workloads } from "./architecture.js";
import { downMigrations } from "./backups/migrations.js";
import { deliveryJobs, pipelines } from "./cicd.js";
import { deployScript } from "./deploy.js";
import { shippedDockerfiles } from "./docker.js";
import { runsServices } from "./monitoring.js";

const when = (test: boolean, reason: string) => (test ? holds : doesNotHold(reason));

export const conditions: Readonly<Record<string, Condition>> = {
  "has-datastore": (ctx) =>
    when(
      ctx.derived.dataStores.length > 0,
      "no database or persistent data found (no database service, driver, operator, cloud database or migrations)",
    ),
  "has-sql-migrations": (ctx) =>
    when(
      downMigrations(ctx.paths).kind === "sql",
      "no SQL migrations with one file per direction (golang-migrate, sqlx, diesel, Flyway)",
    ),
  "has-terraform": (ctx) =>
    when(
      terraformConfigs(ctx).some(
        (f) => f.resources.length + f.modules.length + f.requiredProviders.length + f.providers.length > 0,
      ),
      "no Terraform configuration in the repository",
    ),
  "has-terraform-root-module": (ctx) =>
    when(
      terraformModules(ctx).some((m) => m.root),
      "no Terraform root module with resources",
    ),
  "has-k8s-workloads": (ctx) => when(workloads(ctx).length > 0, "no Kubernetes workloads in the repository"),
  "has-ci-pipeline": (ctx) => when(pipelines(ctx).length > 0, "no CI pipeline"),
  "has-github-actions": (ctx) =>
    when(
      pipelines(ctx).some((p) => p.system === "github-actions"),
      "no GitHub Actions workflow",
    ),
  "has-ci-deploy-job": (ctx) => when(deliveryJobs(ctx).length > 0, "no CI job deploys or releases"),
  // a platform config is one way to automate deploys; a repository that deploys by its own script (kubectl,
  // helm, ssh …) has no use for one and must not lose points for it
  "no-deploy-script": (ctx) =>
    when(deployScript(ctx, {}).status !== "pass", "the repository deploys with its own script"),
  "builds-containers": (ctx) =>
    when(shippedDockerfiles(ctx).length > 0, "the repository builds no container image (no Dockerfile)"),
  "runs-services": (ctx) =>
    when(runsServices(ctx), "the repository runs no service (no container image, workload or deploy platform)"),
};
