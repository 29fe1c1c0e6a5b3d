import { beforeAll, describe, expect, it } from "vitest";
import { classifyAction, jobActionOfCommand as classifyCommand } from "../../src/analyzers/ci/job-actions.js";
import { loadShellParser } from "../../src/analyzers/shell-parse.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

const kind = (line: string) => classifyCommand(line.split(" "))?.kind;

describe("classifyCommand", () => {
  it.each([
    "kubectl apply -f k8s/",
    "kubectl -n prod apply -k overlays/prod",
    "kubectl apply --dry-run=none -f x",
    "kubectl set image deploy/web web=img:1",
    "helm upgrade --install app ./chart",
    "helm install app ./chart",
    "terraform apply -auto-approve",
    "terraform -chdir=infra apply plan.out",
    "flyctl deploy --remote-only",
    "gcloud run deploy web --image x",
    "aws ecs update-service --cluster c --service s",
    "serverless deploy --stage prod",
    "sudo env A=1 /usr/local/bin/kamal deploy",
    "npx cdk deploy --all",
    "git push heroku main",
    "ansible-playbook -i inventory deploy.yml",
    "az deployment group create -f main.bicep",
  ])("deploy: %s", (line) => expect(kind(line)).toBe("deploy"));

  it.each([
    "echo kubectl apply -f k8s/",
    "kubectl apply --dry-run=client -f k8s/",
    "kubectl get pods",
    "kubectl rollout status deploy/web",
    "helm upgrade --install app ./chart --dry-run",
    "helm template ./chart",
    "terraform plan",
    "terraform apply -destroy",
    "flyctl deploy --build-only",
    "sam deploy --no-execute-changeset",
    "ansible-playbook --check deploy.yml",
    "aws s3 ls",
    "docker push registry/app:1",
    "docker compose up -d",
    "git push origin main",
    "az deployment group what-if -f x",
  ])("not a deploy: %s", (line) => expect(kind(line)).not.toBe("deploy"));

  it.each([
    "npm publish",
    "npx semantic-release",
    "cargo publish",
    "python -m twine upload dist/*",
    "gh release create v1.0.0",
    "goreleaser release --clean",
    "mvn -B deploy",
  ])("publish: %s", (line) => expect(kind(line)).toBe("publish"));
  it.each([
    "npm publish --dry-run",
    "semantic-release --dry-run",
    "gh release create v1 --draft",
    "goreleaser release --snapshot",
    "cargo publish --dry-run",
  ])("not a publish: %s", (line) => expect(kind(line)).toBeUndefined());

  it.each([
    "npm test",
    "npm run test:unit",
    "yarn test",
    "pnpm test",
    "pytest -q",
    "python -m pytest",
    "poetry run pytest",
    "go test ./...",
    "mvn -B verify",
    "./gradlew check",
    "cargo test --workspace",
    "make test",
    "dotnet test",
    "bundle exec rspec",
    "npx vitest run",
    "tox -e py312",
  ])("test: %s", (line) => expect(kind(line)).toBe("test"));
  it.each([
    "npm ci",
    "npm run build",
    "mvn -DskipTests package",
    "./gradlew build -x test",
    "pytest --collect-only",
    "go build ./...",
    "echo npm test",
    "vitest --version",
  ])("not a test: %s", (line) => expect(kind(line)).toBeUndefined());

  it("reads the remote command of ssh", () => {
    expect(classifyCommand(["ssh", "-i", "key", "deploy@host", "'cd app && docker compose up -d'"])).toEqual({
      kind: "deploy",
      what: "docker compose up (over ssh)",
    });
    expect(classifyCommand(["ssh", "deploy@host", "'uptime'"])).toBeUndefined();
  });
});

describe("classifyAction", () => {
  it("knows deploy and release actions, and the inputs that turn them off", () => {
    expect(classifyAction("azure/webapps-deploy@v3")?.kind).toBe("deploy");
    expect(classifyAction("google-github-actions/deploy-cloudrun@v2")?.kind).toBe("deploy");
    expect(classifyAction("pulumi/actions@v5", { command: "preview" })).toBeUndefined();
    expect(classifyAction("pulumi/actions@v5", { command: "up" })?.kind).toBe("deploy");
    expect(classifyAction("softprops/action-gh-release@v2", { draft: "true" })).toBeUndefined();
    expect(classifyAction("pypa/gh-action-pypi-publish@release/v1")?.kind).toBe("publish");
    expect(classifyAction("atlassian/aws-ecs-deploy:1.12.0")?.kind).toBe("deploy");
    expect(classifyAction("actions/checkout@v4")).toBeUndefined();
    expect(classifyAction("docker/build-push-action@v6", { push: "true" })).toBeUndefined();
  });
});
