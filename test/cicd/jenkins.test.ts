import { describe, expect, it } from "vitest";
import { parseCalls, tokenize } from "../../src/analyzers/ci/jenkins.js";
import { analyze } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

describe("Jenkinsfile tokenizer", () => {
  it("skips comments and keeps strings whole, with lines", () => {
    const { tokens } = tokenize("// sh 'no'\n/* stage('x') */ sh '''a\n// not a comment\nb'''\necho \"q \\\" ${x}\"");
    expect(tokens.map((t) => [t.kind, t.value, t.line])).toEqual([
      ["word", "sh", 2],
      ["string", "a\n// not a comment\nb", 2],
      ["word", "echo", 5],
      ["string", 'q " __groovy_expr__', 5],
    ]);
  });

  it("reports an unterminated string", () => {
    expect(tokenize("sh 'oops\n").error).toEqual({ line: 1, message: "unterminated string starting with '" });
  });

  it("folds calls with arguments and blocks", () => {
    const calls = parseCalls(tokenize("stage('A') {\n  steps { sh label: 'x', script: 'make' }\n}").tokens);
    expect(calls[0]).toMatchObject({
      name: "stage",
      args: [{ value: "A" }],
      block: [
        {
          name: "steps",
          block: [
            {
              name: "sh",
              args: [
                { key: "label", value: "x" },
                { key: "script", value: "make" },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe("Jenkinsfile analyzer", () => {
  it("matches Jenkinsfile names only", async () => {
    const { jenkinsAnalyzer } = await import("../../src/analyzers/ci/jenkins.js");
    const m = (p: string) => jenkinsAnalyzer.match(p, p.slice(p.lastIndexOf("/") + 1), p.toLowerCase());
    expect(["Jenkinsfile", "ci/Jenkinsfile.deploy", "deploy.jenkinsfile"].map(m)).toEqual([true, true, true]);
    expect(["jenkins/README.md", "src/JenkinsfileParser.java", "Jenkinsfiles/x.groovy"].map(m)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("reads stages, gates, triggers and options; ignores commented-out and never-running stages", async () => {
    const text = fixture("jenkins/Jenkinsfile");
    const { facts } = await analyze({ Jenkinsfile: text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.jobs.map((j) => j.id)).toEqual(["Test", "Approve", "Deploy", "Never"]);
    expect(pipeline!.triggers.schedule).toEqual(["H 2 * * *"]);
    expect(pipeline!.timeout).toEqual({ line: lineOf(text, "timeout(") });
    expect(pipeline!.concurrency).toEqual({ line: lineOf(text, "disableConcurrentBuilds") });
    const deploy = pipeline!.jobs.find((j) => j.id === "Deploy")!;
    expect(deploy).toMatchObject({
      manualApproval: true,
      approvalLine: lineOf(text, "input message"),
      condition: "branch main",
      deploys: [{ line: lineOf(text, "helm upgrade"), what: "helm upgrade --install" }],
    });
    expect(deploy.environment).toBeUndefined(); // `environment {}` holds variables, not a deployment target
    expect(pipeline!.jobs.find((j) => j.id === "Test")!.tests).toEqual([
      { line: lineOf(text, "mvn -B verify"), what: "mvn verify" },
    ]);
    expect(pipeline!.jobs.find((j) => j.id === "Never")!.disabled).toBe(true);
    const programs = facts.all("command").map((c) => c.argv[0]);
    expect(programs).not.toContain("kubectl");
    expect(programs).not.toContain("terraform");
    expect(facts.all("command").every((c) => c.schedule === "H 2 * * *")).toBe(true);
  });

  it("reads scripted pipelines and sh(script: …) calls", async () => {
    const { facts } = await analyze({
      "Jenkinsfile.deploy":
        "node {\n  stage('Ship') {\n    def out = sh(script: 'terraform apply -auto-approve', returnStdout: true)\n  }\n}\n",
    });
    expect(facts.all("ci")[0]!.jobs[0]).toMatchObject({ id: "Ship", deploys: [{ line: 3, what: "terraform apply" }] });
  });

  it("turns an unterminated string into a parse finding", async () => {
    const { findings, facts } = await analyze({
      Jenkinsfile: 'pipeline {\n  stages {\n    stage(\'x\') { steps { sh """make\n',
    });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([["ci/parse-error", 3]]);
    expect(facts.all("ci")).toEqual([]);
  });
});

describe("Jenkins plugin steps", () => {
  it("takes deploying plugin steps by class or name, not checks, plain copies or switched-off stages", async () => {
    const text = fixture("jenkins/Jenkinsfile.plugins");
    const { facts } = await analyze({ "Jenkinsfile.deploy": text });
    const jobs = Object.fromEntries(facts.all("ci")[0]!.jobs.map((j) => [j.id, j]));
    expect(jobs.GKE!.deploys).toEqual([
      { line: lineOf(text, "KubernetesEngineBuilder"), what: "KubernetesEngineBuilder step" },
    ]);
    expect(jobs.Servers!.deploys).toEqual([{ line: lineOf(text, "sshPublisher("), what: "sshPublisher" }]);
    expect(jobs["Check only"]!.deploys).toBeUndefined();
    expect(jobs.Off!.deploys).toBeUndefined();
  });
});
