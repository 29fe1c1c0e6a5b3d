// Which image a Dockerfile ships (src/derived/images.ts): the stage its builds target, a base image of this
// repository built from another Dockerfile, an image that only carries files. Judged by docker/non-root-user
// and docker/healthcheck.
import { describe, expect, it } from "vitest";
import { contextOf, detect, type Files, scanFiles, signalOf } from "../helpers.js";

const HEALTH = { kinds: ["dockerfile"] };

// release (the shipped target) runs as app with a health check; the last stage, nightly, runs as root without one
const MULTI_TARGET = [
  "FROM node:22-slim AS build",
  "RUN npm ci && npm run build",
  "FROM node:22-slim AS release",
  "COPY --from=build /src/dist /app",
  "USER app",
  "HEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1",
  'CMD ["node", "/app/server.js"]',
  "FROM release AS rootless",
  "USER node",
  "FROM node:22 AS nightly",
  "COPY --from=build /src /src",
  'CMD ["node", "--inspect", "/src/server.js"]',
  "",
].join("\n");

// the same shape, but release runs as root and debug, the last stage, has the USER
const ROOT_RELEASE = [
  "FROM node:22-slim AS release",
  'CMD ["node", "/app/server.js"]',
  "FROM node:22-slim AS debug",
  "USER node",
  "HEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1",
  'CMD ["node", "--inspect", "/app/server.js"]',
  "",
].join("\n");

const compose = (target: string) =>
  `services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n      target: ${target}\n`;

const workflow = (run: string) =>
  `on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;

describe("a multi-target Dockerfile is judged by the stage that ships", () => {
  it("compose build.target names it: its USER and HEALTHCHECK count, not the last stage's", async () => {
    const files: Files = { "docker/Dockerfile": MULTI_TARGET, "compose.yaml": compose("release") };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("pass");
    expect(user.evidence).toEqual([{ path: "docker/Dockerfile", line: 5, note: "USER app (target release)" }]);
    const health = await detect("docker/healthcheck", files, HEALTH);
    expect(health.status).toBe("pass");
    expect(health.evidence).toEqual([{ path: "docker/Dockerfile", line: 6, note: "dockerfile (target release)" }]);
  });

  it("a root target fails although the last stage has a USER and a HEALTHCHECK", async () => {
    const files: Files = { "docker/Dockerfile": ROOT_RELEASE, "compose.yaml": compose("release") };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("fail");
    expect(user.reason).toContain("shipped stage runs as root in docker/Dockerfile:1");
    expect(user.evidence).toEqual([{ path: "docker/Dockerfile", line: 1, note: "no USER in the target release" }]);
    expect((await detect("docker/healthcheck", files, HEALTH)).status).toBe("fail");
  });

  it("without any build naming a target, the last stage is the image", async () => {
    const files: Files = { "docker/Dockerfile": ROOT_RELEASE };
    expect((await detect("docker/non-root-user", files)).status).toBe("pass");
    expect((await detect("docker/non-root-user", { "docker/Dockerfile": MULTI_TARGET })).status).toBe("fail");
  });

  it("`docker build --target X -f file` in a CI step, a Makefile or an npm script names it", async () => {
    const cli = "docker buildx build -f docker/Dockerfile --platform linux/amd64 -t acme/app:1 --target release .";
    for (const where of [
      { ".github/workflows/image.yml": workflow(cli) },
      { Makefile: `image:\n\t${cli}\n` },
      { "package.json": JSON.stringify({ name: "app", scripts: { "build-image": cli } }) },
    ] as Files[]) {
      const pass: Files = { "docker/Dockerfile": MULTI_TARGET, ...where };
      expect((await detect("docker/non-root-user", pass)).status).toBe("pass");
      const fail: Files = { "docker/Dockerfile": ROOT_RELEASE, ...where };
      expect((await detect("docker/non-root-user", fail)).status).toBe("fail");
    }
  });

  it("docker/build-push-action's target and file name it", async () => {
    const action = (target: string) =>
      "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n" +
      "      - uses: docker/build-push-action@v6\n        with:\n          context: .\n" +
      `          file: docker/Dockerfile\n          target: ${target}\n          tags: acme/app:latest\n`;
    const files: Files = { "docker/Dockerfile": MULTI_TARGET, ".github/workflows/image.yml": action("release") };
    expect((await detect("docker/non-root-user", files)).status).toBe("pass");
    const root: Files = { "docker/Dockerfile": ROOT_RELEASE, ".github/workflows/image.yml": action("release") };
    expect((await detect("docker/non-root-user", root)).status).toBe("fail");
  });

  it("a target built to run tests or a dev environment is not what ships", async () => {
    // CI builds `--target test` (root) to run the tests; nothing else names a target: the last stage ships
    const dockerfile = "FROM python:3.12 AS test\nRUN pytest\nFROM python:3.12-slim AS app\nUSER 10001\n";
    const files: Files = {
      Dockerfile: dockerfile,
      ".github/workflows/ci.yml": workflow("docker build --target test -t app-test ."),
      "compose.dev.yaml": "services:\n  app:\n    build:\n      context: .\n      target: dev\n",
    };
    const ctx = await contextOf(files);
    expect(ctx.derived.images.map((i) => i.stage.name)).toEqual(["app"]);
    expect((await detect("docker/non-root-user", files)).status).toBe("pass");
  });

  it("several shipped targets are each judged", async () => {
    // the compose file ships release (app), a script ships nightly (root)
    const files: Files = {
      "docker/Dockerfile": MULTI_TARGET,
      "compose.yaml": compose("release"),
      "scripts/debug-image.sh": "#!/bin/sh\ndocker build --target nightly -f docker/Dockerfile -t acme/app:nightly .\n",
    };
    const ctx = await contextOf(files);
    expect(ctx.derived.images.map((i) => i.target ?? i.stage.name)).toEqual(["release", "nightly"]);
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("fail");
    expect(user.evidence).toEqual([{ path: "docker/Dockerfile", line: 10, note: "no USER in the final stage" }]);
  });
});

describe("a stage FROM this repository's own image inherits its user", () => {
  const APP = "FROM node:22-slim\nCOPY . /app\nUSER nodejs\nHEALTHCHECK CMD wget -q -O- localhost:3000\nCMD node app\n";
  const EXTRA = "ARG TAG=latest\nFROM acme/app:${TAG}\nRUN npm install @playwright/browser-chromium\n";

  it("the image a compose service builds and names (image: next to build:)", async () => {
    const files: Files = {
      "docker/Dockerfile": APP,
      "docker/Dockerfile.chromium": EXTRA,
      "compose.yaml":
        "services:\n  app:\n    image: acme/app:latest\n    build:\n      dockerfile: docker/Dockerfile\n",
    };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("pass");
    expect(user.evidence).toContainEqual({
      path: "docker/Dockerfile.chromium",
      line: 2,
      note: "FROM acme/app:latest: USER nodejs of docker/Dockerfile",
    });
    const ctx = await contextOf(files);
    const chromium = ctx.derived.images.find((i) => i.dockerfile.path === "docker/Dockerfile.chromium");
    expect(chromium?.healthcheck).toEqual({ line: 4, disabled: false, inheritedFrom: "docker/Dockerfile" });
  });

  it("a `docker build -t` tag, also through a multi-arch manifest of per-platform tags", async () => {
    const build =
      'docker build -f docker/Dockerfile -t "acme/app-$BUILD_PLATFORM:latest" . && ' +
      "docker manifest create acme/app:latest --amend acme/app-amd64:latest --amend acme/app-arm64:latest";
    const files: Files = {
      "docker/Dockerfile": APP,
      "docker/Dockerfile.chromium": EXTRA,
      ".github/workflows/publish.yml": workflow(build),
    };
    expect((await detect("docker/non-root-user", files)).status).toBe("pass");
    // without the manifest, acme/app is not an image this repository builds
    const alone: Files = { ...files, ".github/workflows/publish.yml": workflow(build.split(" && ")[0]!) };
    expect((await detect("docker/non-root-user", alone)).status).toBe("fail");
  });

  it("an image of the same name that nobody here builds is someone else's: root by default", async () => {
    const files: Files = { "docker/Dockerfile": APP, "docker/Dockerfile.chromium": EXTRA };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("fail");
    expect(user.evidence).toEqual([
      { path: "docker/Dockerfile.chromium", line: 2, note: "no USER in the final stage" },
    ]);
  });

  it("its own USER root wins over the inherited one", async () => {
    const files: Files = {
      "docker/Dockerfile": APP,
      "docker/Dockerfile.chromium": `${EXTRA}USER root\n`,
      "compose.yaml": "services:\n  app:\n    image: acme/app\n    build:\n      dockerfile: docker/Dockerfile\n",
    };
    expect((await detect("docker/non-root-user", files)).status).toBe("fail");
  });
});

describe("an image of files only is not a container that runs", () => {
  // a Lambda extension layer: files copied onto scratch, no CMD or ENTRYPOINT
  const LAYER =
    "FROM python:3.12-alpine AS installer\nCOPY src /opt/\nRUN pip install -r /opt/requirements.txt -t /opt/ext\n" +
    "FROM scratch AS base\nWORKDIR /opt/extensions\nCOPY --from=installer /opt/ext .\n";

  it("alone, non-root-user does not apply, and no root-user finding is raised", async () => {
    const files: Files = { "layer/Dockerfile": LAYER };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("na");
    expect(user.reason).toContain("layer/Dockerfile");
    const report = await scanFiles(files);
    expect(report.findings.filter((f) => f.rule === "docker/root-user")).toEqual([]);
    expect(signalOf(report, "docker/non-root-user").status).toBe("na");
  });

  it("next to an image that runs, only that one is judged", async () => {
    const files: Files = { "layer/Dockerfile": LAYER, Dockerfile: "FROM python:3.12-slim\nUSER 10001\nCMD app\n" };
    const user = await detect("docker/non-root-user", files);
    expect(user.status).toBe("pass");
    expect(user.evidence).toEqual([{ path: "Dockerfile", line: 2, note: "USER 10001" }]);
  });

  it("a scratch image with an ENTRYPOINT or CMD runs a process: root unless it sets a USER", async () => {
    for (const run of ['ENTRYPOINT ["/app"]', 'CMD ["/app"]']) {
      const files: Files = {
        Dockerfile: `FROM golang:1.23 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n${run}\n`,
      };
      const user = await detect("docker/non-root-user", files);
      expect(user.status).toBe("fail");
      expect(user.reason).toContain("USER 65532:65532");
      const report = await scanFiles(files);
      expect(report.findings.some((f) => f.rule === "docker/root-user")).toBe(true);
    }
    const inherited = { Dockerfile: 'FROM scratch AS base\nCMD ["/app"]\nFROM base\nCOPY app /app\n' };
    expect((await detect("docker/non-root-user", inherited)).status).toBe("fail");
  });
});
