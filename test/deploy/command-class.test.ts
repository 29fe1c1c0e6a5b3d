import { beforeAll, describe, expect, it } from "vitest";
import { classifyCommand } from "../../src/analyzers/command-class.js";
import { loadShellParser, parseShell } from "../../src/analyzers/shell-parse.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

/** the class of the first command of a line of shell, parsed as the analyzers parse it */
const kindOf = (line: string) => {
  const commands = parseShell(line).commands;
  expect(commands.length).toBeGreaterThan(0);
  return classifyCommand(commands[0]!.argv)?.kind;
};

describe("classifyCommand: deploys", () => {
  it.each([
    "kubectl apply -f k8s/",
    "kubectl -n prod apply -k overlays/prod",
    "kubectl --context prod set image deploy/api api=acme/api:1.2",
    "kubectl rollout restart deployment/api",
    "kubectl create -f job.yaml",
    "kubectl apply --dry-run=none -f k8s/",
    "sudo kubectl apply -f k8s/",
    "helm upgrade --install api ./chart -f values-prod.yaml",
    "helm -n prod install api ./chart",
    "helmfile -e prod apply",
    "terraform apply -auto-approve tfplan",
    "terraform -chdir=infra apply",
    "terragrunt run-all apply",
    "tofu apply",
    "pulumi up --yes -s prod",
    "npx cdk deploy --all",
    "flyctl deploy --remote-only",
    "fly -a my-api deploy",
    "gcloud app deploy app.yaml",
    "gcloud run deploy api --image gcr.io/p/api",
    "gcloud beta functions deploy fn",
    "aws ecs update-service --cluster prod --service api --force-new-deployment",
    "aws --region eu-west-1 deploy create-deployment --application-name api",
    "aws cloudformation deploy --template-file t.yml --stack-name api",
    "aws lambda update-function-code --function-name f --zip-file fileb://f.zip",
    "az webapp deploy --name api --src-path app.zip",
    "az deployment group create -g rg -f main.bicep",
    "az containerapp update -n api --image acme/api:1",
    "serverless deploy --stage prod",
    "npx sls deploy",
    "sam deploy --no-confirm-changeset",
    "kamal deploy -d staging",
    "bundle exec kamal redeploy",
    "ansible-playbook -i inventories/production site.yml",
    "bundle exec cap production deploy",
    "vercel --prod",
    "vercel deploy --prebuilt",
    "netlify deploy --prod --dir dist",
    "firebase deploy --only hosting",
    "wrangler deploy",
    "railway up",
    "git push heroku main",
    "heroku container:release web -a api",
    "docker stack deploy -c stack.yml api",
    "docker --context prod compose up -d",
    "docker -H ssh://deploy@web1 compose up -d",
    "nomad job run api.nomad",
    "argocd app sync api",
    "cf push api",
    "eb deploy prod-env",
    "skaffold run -p prod",
    "ssh deploy@web1 'cd /srv/app && git pull && sudo systemctl restart app'",
    'ssh -i key.pem deploy@web1 "docker compose pull && docker compose up -d"',
    "ssh web1 kubectl apply -f /srv/k8s",
    "bash -c 'helm upgrade --install api ./chart'",
  ])("%s deploys", (line) => {
    expect(kindOf(line)).toBe("deploy");
  });
});

describe("classifyCommand: not deploys", () => {
  it.each([
    ['echo "kubectl apply -f k8s/"', undefined],
    ["echo kubectl apply", undefined],
    ["printf '%s' 'helm upgrade api'", undefined],
    ["kubectl apply --dry-run=client -f k8s/", "infra"],
    ["kubectl apply --dry-run -f k8s/", "infra"],
    ["kubectl get pods", "infra"],
    ["kubectl create namespace prod", "infra"],
    ["helm upgrade --install api ./chart --dry-run", "infra"],
    ["helm template api ./chart", "infra"],
    ["terraform plan -out tfplan", "infra"],
    ["terraform apply -destroy", "infra"],
    ["terraform init", "infra"],
    ["pulumi preview", "infra"],
    ["pulumi up --preview-only", "infra"],
    ["ansible-playbook --check site.yml", "infra"],
    ["ansible-playbook -C site.yml", "infra"],
    ["fly deploy --build-only", "infra"],
    ["serverless package", "infra"],
    ["gcloud run services list", "infra"],
    ["vercel dev", undefined],
    ["netlify build", undefined],
    ["docker compose up -d", undefined],
    ["docker build -t api .", undefined],
    ["git push origin main", undefined],
    ['"$KUBECTL" apply -f k8s/', undefined],
    ["ssh web1 uptime", undefined],
    ["npm run deploy", undefined],
  ])("%s → %s", (line, kind) => {
    expect(kindOf(line)).toBe(kind);
  });
});

describe("classifyCommand: other kinds", () => {
  it.each([
    ["helm rollback api 3", "rollback"],
    ["kubectl rollout undo deployment/api", "rollback"],
    ["kamal rollback v41", "rollback"],
    ['pg_dump "$DATABASE_URL"', "database"],
    ["bundle exec rails db:migrate", "database"],
    ["restic backup /data", "database"],
    ["rsync -az --delete dist/ deploy@web1:/srv/app", "transfer"],
    ['scp -i key app.tar.gz "$HOST:/tmp"', "transfer"],
    ["ssh deploy@web1 sudo systemctl restart app", "remote-restart"],
    ["docker push ghcr.io/acme/api:1.2", "publish"],
  ])("%s → %s", (line, kind) => {
    expect(kindOf(line)).toBe(kind);
  });

  it("does not count a local rsync or an rsync dry run as a transfer", () => {
    expect(kindOf("rsync -a dist/ /srv/app/")).toBeUndefined();
    expect(kindOf("rsync -a --dry-run dist/ web1:/srv/app/")).toBeUndefined();
  });
});

describe("commands run in a container", () => {
  it("classifies the command a container runs, and keeps docker's own meaning otherwise", async () => {
    const { classifyCommand } = await import("../../src/analyzers/command-class.js");
    const { loadShellParser } = await import("../../src/analyzers/shell-parse.js");
    await loadShellParser();
    expect(
      classifyCommand(["docker", "run", "--rm", "-v", "$PWD:/app", "-w", "/app", "node:22", "npm", "test"]),
    ).toMatchObject({ kind: "test", summary: "npm test" });
    expect(
      classifyCommand(["docker-compose", "-f", "ci.yml", "run", "--rm", "api", "npm", "run", "test:ci"]),
    ).toMatchObject({ kind: "test" });
    expect(
      classifyCommand(["docker", "compose", "run", "-e", "A=1", "web", "python", "manage.py", "test"]),
    ).toMatchObject({ kind: "test", summary: "manage.py test" });
    expect(classifyCommand(["docker", "run", "--rm", "bitnami/kubectl", "apply", "-f", "k8s/"])).toBeUndefined();
    expect(classifyCommand(["docker", "run", "--rm", "--entrypoint", "kubectl", "bitnami/kubectl"])).toBeUndefined();
    expect(classifyCommand(["docker", "run", "-d", "--name", "web", "app:1"])).toBeUndefined();
    expect(classifyCommand(["docker", "compose", "run", "--rm", "app", "npm", "run", "build"])).toBeUndefined();
  });
});
