import { describe, expect, it } from "vitest";
import { analyze, detect } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

describe("Cloud Build analyzer", () => {
  it("runs each step's entrypoint with its args: tests, a Cloud Run deploy, a rolling update of a VM group", async () => {
    const text = fixture("cloud-build/cloudbuild.yaml");
    const { facts } = await analyze({ "cloudbuild.yaml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline).toMatchObject({ system: "cloud-build", timeout: { line: lineOf(text, "timeout: 1800s") } });
    const byId = Object.fromEntries(pipeline!.jobs.map((j) => [j.id, j]));
    expect(byId.test!.tests).toEqual([{ line: lineOf(text, 'args: ["-m", "pytest"'), what: "pytest" }]);
    expect(byId.push!.publishes).toBeUndefined(); // an image push is not a release
    expect(byId.run!.deploys).toMatchObject([{ what: "gcloud run deploy" }]);
    expect(byId.workers).toMatchObject({
      needs: ["push"],
      timeoutLine: lineOf(text, "timeout: 900s"),
      deploys: [{ what: "gcloud compute instance-groups managed rolling-action start-update" }],
    });
    expect(
      facts
        .all("command")
        .find((c) => c.unit === "image")!
        .argv.slice(0, 2),
    ).toEqual(["docker", "build"]);
  });

  it("reads `entrypoint: sh` with `-c` as a shell script", async () => {
    const text = fixture("cloud-build/cloudbuild-terraform.yaml");
    const { facts } = await analyze({ "build/cloudbuild-terraform.yaml": text });
    const [plan, apply] = facts.all("ci")[0]!.jobs;
    expect(plan!.deploys).toBeUndefined();
    expect(apply!.deploys).toEqual([{ line: lineOf(text, "terraform apply"), what: "terraform apply" }]);
  });

  it("does not take plans, dry runs, rendering or unknown images for deploys", async () => {
    const { facts } = await analyze({ "cloudbuild.plan-only.yaml": fixture("cloud-build/cloudbuild.plan-only.yaml") });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.jobs).toHaveLength(4);
    expect(pipeline!.jobs.flatMap((j) => j.deploys ?? [])).toEqual([]);
    expect(facts.all("command").some((c) => c.argv[0] === "helm")).toBe(false);
  });

  it("reads the JSON form, and says why a file without steps is no build", async () => {
    const json = JSON.stringify({ steps: [{ name: "gcr.io/cloud-builders/npm", args: ["test"] }] }, null, 2);
    const { facts } = await analyze({ "cloudbuild.json": json });
    expect(facts.all("ci")[0]!.jobs[0]!.tests).toMatchObject([{ what: "npm test" }]);
    const { findings } = await analyze({ "cloudbuild.yaml": "substitutions: { _A: b }\n" });
    expect(findings).toMatchObject([{ rule: "ci/invalid-config" }]);
  });

  it("meets cd-deploy and ci-tests, but not pull-request checks (the triggers are not in the file)", async () => {
    const files = { "cloudbuild.yaml": fixture("cloud-build/cloudbuild.yaml") };
    expect((await detect("cicd/cd-deploy", files)).status).toBe("pass");
    expect((await detect("cicd/ci-tests", files)).status).toBe("pass");
    expect(await detect("cicd/pull-request-checks", files)).toMatchObject({
      status: "fail",
      reasonId: "no-pull-request-trigger",
    });
  });
});

describe("gcloud commands", () => {
  it("follows `gcloud compute ssh --command` to what runs on the VM", async () => {
    const { facts } = await analyze({
      ".github/workflows/dev.yml": [
        "on: { push: { branches: [dev] } }",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: gcloud compute ssh dev-vm --zone us-east1-b --tunnel-through-iap --command " +
          '"docker pull app:1 && docker run -d --name app app:1"',
        "      - run: gcloud compute ssh dev-vm --command 'uptime'",
        "",
      ].join("\n"),
    });
    expect(facts.all("ci")[0]!.jobs[0]!.deploys).toEqual([{ line: 6, what: "docker run (over ssh)" }]);
  });
});
