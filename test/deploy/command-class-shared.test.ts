// The shared command classifier serves scripts, detectors and CI alike: behaviour that one of the two former
// classifiers knew is now checked from both sides (classifyCommand for scripts, the job projection for CI).
import { beforeAll, describe, expect, it } from "vitest";
import { jobActionOfCommand, jobActionOfRemote } from "../../src/analyzers/ci/job-actions.js";
import { classifyCommand } from "../../src/analyzers/command-class.js";
import { loadShellParser, parseShell } from "../../src/analyzers/shell-parse.js";
import { analyze, detect } from "../helpers.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

const argvOf = (line: string) => parseShell(line).commands[0]!.argv;
const kindOf = (line: string) => classifyCommand(argvOf(line))?.kind;
const jobKindOf = (line: string) => jobActionOfCommand(argvOf(line))?.kind;

describe("what scripts learn from the CI classifier", () => {
  it.each([
    ["npm publish", "publish"],
    ["npm publish --dry-run", undefined],
    ["gh release create v1.2.0", "publish"],
    ["gh release create v1 --draft", undefined],
    ["python -m twine upload dist/*", "publish"],
    ["helm push chart.tgz oci://ghcr.io/acme", "publish"],
    ["goreleaser release --snapshot", undefined],
    ["npm test", "test"],
    ["hatch run pytest", "test"],
    ["pytest --collect-only", undefined],
    ["mvn -DskipTests package", undefined],
    ["dpl --provider=heroku", "deploy"],
    ["gcloud run services replace service.yaml", "deploy"],
    ["aws apprunner update-service --service-arn x", "deploy"],
    ["az functionapp up -n api", "deploy"],
    ["terraform.exe apply", "deploy"],
    ["ssh web1 'cd /srv/app && docker-compose up -d'", "deploy"],
    ["aws cloudformation deploy --template-file t.yml --no-execute-changeset", "infra"],
    ["helm upgrade api ./chart --help", "infra"],
  ])("%s → %s", (line, kind) => expect(kindOf(line)).toBe(kind));

  it("names a docker compose up over ssh as a deploy, as CI did (it was a bare restart for scripts)", () => {
    expect(classifyCommand(argvOf("ssh web1 'cd app && docker compose up -d'"))).toEqual({
      kind: "deploy",
      summary: "docker compose up (over ssh)",
    });
  });

  it("does not count a test run as a reason for strict mode in a script", async () => {
    const out = await analyze({ "scripts/check.sh": "#!/bin/bash\nnpm test\n" });
    expect(out.findings.filter((f) => f.rule === "shell/no-strict-mode")).toEqual([]);
    const publish = await analyze({ "scripts/release.sh": "#!/bin/bash\nnpm publish\n" });
    expect(publish.findings.filter((f) => f.rule === "shell/no-strict-mode")).toHaveLength(1);
  });
});

describe("what CI jobs learn from the scripts classifier", () => {
  it.each([
    ["kubectl patch deploy/api -p '{}'", "deploy"],
    ["sam sync --stack-name api", "deploy"],
    ["cdktf deploy", "deploy"],
    ["aws ecs create-service --cli-input-json x", "deploy"],
    ["cf push api", "deploy"],
    ["doctl apps create-deployment 1234", "deploy"],
    ["kamal setup", "deploy"],
    ["railway redeploy", "deploy"],
    ["waypoint up", "deploy"],
    ["kn service update api --image x", "deploy"],
    ["npx -p aws-cdk cdk deploy", "deploy"],
    ["bash -c 'kubectl apply -f k8s/'", "deploy"],
    ["terragrunt run-all apply", "deploy"],
    ["terragrunt run --all apply --non-interactive", "deploy"],
    ["terragrunt run --all plan", undefined],
    ["terragrunt stack run apply", "deploy"],
    ["aws --region eu-west-1 ecs update-service --service api", "deploy"],
    ["pulumi up --preview-only", undefined],
    ["ansible-playbook --list-hosts site.yml", undefined],
    ["helm rollback api 3", undefined],
    ["kubectl -n prod get pods", undefined],
    ["pg_dump app", undefined],
    ["rsync -az dist/ web1:/srv/app", undefined],
  ])("%s → %s", (line, kind) => expect(jobKindOf(line)).toBe(kind));

  it("never counts an image push as a release", () => {
    expect(classifyCommand(argvOf("docker push ghcr.io/acme/api:1"))).toMatchObject({ kind: "publish", image: true });
    expect(jobKindOf("docker push ghcr.io/acme/api:1")).toBeUndefined();
  });

  it("counts a copy to a host followed by a remote restart in one job as a deploy, not either alone", async () => {
    const WF = ".github/workflows/ci.yml";
    const wf = (...steps: string[]) =>
      `on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((s) => `      - run: ${s}\n`).join("")}`;
    const both = await detect("cicd/cd-deploy", {
      [WF]: wf("rsync -az dist/ deploy@web1:/srv/app", "ssh deploy@web1 sudo systemctl restart app"),
    });
    expect(both).toMatchObject({
      status: "pass",
      evidence: [{ path: WF, line: 6, note: "rsync to deploy@web1:/srv/app, then ssh: systemctl restart in job ship" }],
    });
    expect(await detect("cicd/cd-deploy", { [WF]: wf("ssh deploy@web1 sudo systemctl restart app") })).toMatchObject({
      status: "fail",
      reasonId: "no-delivery-job",
    });
    expect(await detect("cicd/cd-deploy", { [WF]: wf("rsync -az dist/ deploy@web1:/srv/app") })).toMatchObject({
      status: "fail",
      reasonId: "no-delivery-job",
    });
  });

  it("reads a server script: a restart after fetching deploys, a restart alone does not", () => {
    expect(jobActionOfRemote("cd /srv/app && git pull && pm2 reload app")?.kind).toBe("deploy");
    expect(jobActionOfRemote("pm2 reload app")).toBeUndefined();
  });
});

describe("where the two classifiers disagreed", () => {
  it.each([
    // kubectl's and helm's --dry-run=none and the old boolean --dry-run=false really apply; every other value is a dry run
    ["kubectl apply --dry-run=false -f k8s/", "deploy"],
    ["kubectl apply --dry-run=server -f k8s/", "infra"],
    ["helm upgrade api ./chart --dry-run=none", "deploy"],
    ["kubectl rollout undo deploy/api --dry-run=client", "infra"],
    ["helm rollback api 3 --dry-run", "infra"],
    // a remote named like an environment is a guess; a PaaS remote is not
    ["git push production main", undefined],
    ["git push dokku@apps.example.com:api main", "deploy"],
    // builds and listings are not deploys
    ["vercel build --prod", undefined],
    ["gcloud deploy releases list", "infra"],
    ["gcloud deploy apply --file=clouddeploy.yaml", "infra"],
    ["gcloud deploy releases create r1 --delivery-pipeline=p", "deploy"],
    ["az webapp deployment slot list -n api", "infra"],
    ["cap production deploy:rollback", "rollback"],
    ["rsync -avn dist/ web1:/srv/app", undefined],
    // into a web server's document root: a static site is live once copied; elsewhere a copy alone
    ["rsync -az --del ./build/ deploy@web1:/var/www/homepage", "deploy"],
    ["scp -r public/* web1:/usr/share/nginx/html/", "deploy"],
    ["rsync -az ./build/ web1:/var/backups/site", "transfer"],
    ["rsync -az web1:/var/www/homepage ./backup", undefined],
    ["wrangler deploy --dry-run", undefined],
    ["docker run -c 512 acme/api", undefined],
    ["docker --context=prod run -d acme/api:1", "deploy"],
    ["ssh web1 sudo systemctl restart app", "remote-restart"],
    ["ssh web1 docker run -d acme/api:1", "deploy"],
  ])("%s → %s", (line, kind) => expect(kindOf(line)).toBe(kind));
});
