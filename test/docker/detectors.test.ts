import { describe, expect, it } from "vitest";
import { condition, detect, type Files } from "../helpers.js";
import { loadFixture } from "./load.js";

const dockerfile = (text: string): Files => ({ Dockerfile: text });

describe("builds-containers (condition)", () => {
  it("passes on a Dockerfile", async () => {
    expect((await condition("builds-containers", loadFixture("good"))).holds).toBe(true);
  });
  it("is not applicable without one, with only a dev container, or with only a broken one", async () => {
    expect((await condition("builds-containers", { "README.md": "# app\n" })).holds).toBe(false);
    expect((await condition("builds-containers", loadFixture("devcontainer-only"))).holds).toBe(false);
    expect((await condition("builds-containers", dockerfile(""))).holds).toBe(false);
    expect((await detect("docker/dockerfile", dockerfile("RUN make\n"))).reasonId).toBe("unparsable-dockerfile");
  });
});

describe("docker/dockerfile", () => {
  it("passes with the first FROM line as evidence", async () => {
    const result = await detect("docker/dockerfile", loadFixture("good"));
    expect(result.status).toBe("pass");
    expect(result.evidence).toContainEqual(expect.objectContaining({ path: "Dockerfile", line: 4 }));
  });
  it("fails with only a dev container, or a Dockerfile mentioned in a README", async () => {
    expect((await detect("docker/dockerfile", loadFixture("devcontainer-only"))).reasonId).toBe("dev-container-only");
    const readme = await detect("docker/dockerfile", {
      "README.md": "Write a `Dockerfile`:\n\n```Dockerfile\nFROM node:20\n```\n",
    });
    expect(readme).toMatchObject({ status: "fail", reasonId: "no-dockerfile" });
  });
});

describe("docker/dockerignore", () => {
  it("passes when a .dockerignore at or above the Dockerfile's folder excludes something", async () => {
    const result = await detect("docker/dockerignore", loadFixture("good"));
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([{ path: ".dockerignore", line: 1, note: "build context of Dockerfile" }]);
  });
  it("accepts BuildKit's <Dockerfile>.dockerignore", async () => {
    const files = { "build/api.Dockerfile": "FROM debian:12\nUSER 1\n", "build/api.Dockerfile.dockerignore": ".git\n" };
    expect((await detect("docker/dockerignore", files)).status).toBe("pass");
  });
  it("fails when one that ignores nothing is all there is", async () => {
    const result = await detect("docker/dockerignore", loadFixture("dockerignore-empty"));
    expect(result).toMatchObject({ status: "fail", reasonId: "no-dockerignore" });
    expect(result.evidence).toEqual([{ path: "Dockerfile", line: 1 }]);
  });
  it("fails for a Dockerfile whose folder has none, even when a sibling folder has one", async () => {
    const files = {
      "web/Dockerfile": "FROM nginx:1.25\n",
      "api/Dockerfile": "FROM node:20\n",
      "web/.dockerignore": ".git\n",
    };
    const result = await detect("docker/dockerignore", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "no-dockerignore" });
    expect(result.evidence).toEqual([{ path: "api/Dockerfile", line: 1 }]);
  });
});

describe("docker/pinned-base-images", () => {
  it("passes on digests and version tags", async () => {
    const result = await detect("docker/pinned-base-images", loadFixture("good"));
    expect(result.status).toBe("pass");
    expect(result.evidence!.map((e) => `${e.path}:${e.line}`)).toEqual([
      "Dockerfile:4",
      "Dockerfile:13",
      "services/api/api.Dockerfile:1",
      "services/api/api.Dockerfile:6",
    ]);
  });
  it("fails on latest and untagged images, with their FROM lines", async () => {
    const result = await detect("docker/pinned-base-images", loadFixture("unpinned"));
    expect(result).toMatchObject({ status: "fail", reasonId: "unpinned-base-image" });
    expect(result.evidence!.map((e) => e.line)).toEqual([1, 4]);
  });
  it("with require_digest, a tag alone is not enough", async () => {
    const files = dockerfile("FROM node:20-alpine\n");
    expect((await detect("docker/pinned-base-images", files)).status).toBe("pass");
    expect(await detect("docker/pinned-base-images", files, { require_digest: true })).toMatchObject({
      status: "fail",
      reasonId: "not-pinned-by-digest",
    });
  });
  it("does not count stages, scratch or ARG-resolved tags against the repo", async () => {
    expect((await detect("docker/pinned-base-images", loadFixture("arg-from"))).status).toBe("pass");
    expect(
      (await detect("docker/pinned-base-images", dockerfile("FROM golang:1.22 AS b\nFROM b\nFROM scratch\n"))).status,
    ).toBe("pass");
  });
  it("is not applicable when every base comes from a build argument", async () => {
    expect(await detect("docker/pinned-base-images", dockerfile("ARG BASE\nFROM ${BASE}\n"))).toMatchObject({
      status: "na",
      reasonId: "no-external-base-image",
    });
  });
});

describe("docker/multi-stage", () => {
  it("passes when the final stage copies the build result from a build stage", async () => {
    const result = await detect("docker/multi-stage", loadFixture("good"));
    expect(result.status).toBe("pass");
    expect(result.evidence).toContainEqual({ path: "Dockerfile", line: 15, note: "COPY --from=build" });
  });
  it("fails when the only stage builds", async () => {
    const result = await detect("docker/multi-stage", loadFixture("single-stage-build"));
    expect(result).toMatchObject({ status: "fail", reasonId: "final-stage-builds" });
    expect(result.evidence).toEqual([{ path: "Dockerfile", line: 4, note: "mvn -B -DskipTests package" }]);
  });
  it("fails when two stages exist but the final one builds FROM the build stage", async () => {
    const files = dockerfile('FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM build\nCMD ["/app"]\n');
    expect(await detect("docker/multi-stage", files)).toMatchObject({ status: "fail", reasonId: "final-stage-builds" });
  });
  it("fails when the final stage copies from another image, not a stage", async () => {
    const files = dockerfile("FROM golang:1.22\nRUN go build -o /app .\nCOPY --from=busybox:1.36 /bin/sh /sh\n");
    expect(await detect("docker/multi-stage", files)).toMatchObject({ status: "fail", reasonId: "final-stage-builds" });
  });
  it("fails when a stage builds but the final stage copies nothing from it", async () => {
    const files = dockerfile('FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCMD ["/app"]\n');
    expect(await detect("docker/multi-stage", files)).toMatchObject({
      status: "fail",
      reasonId: "no-copy-from-build-stage",
      evidence: [{ path: "Dockerfile", line: 3 }],
    });
  });
  it("is not applicable when nothing is built (a static site served by nginx)", async () => {
    expect(await detect("docker/multi-stage", loadFixture("dockerignore-empty"))).toMatchObject({
      status: "na",
      reasonId: "no-build-step",
    });
    // `echo go build` only prints
    expect((await detect("docker/multi-stage", dockerfile("FROM debian:12\nRUN echo go build\n"))).status).toBe("na");
  });
});

describe("docker/non-root-user", () => {
  it("passes with the USER line, an inherited USER or a non-root base image", async () => {
    const good = await detect("docker/non-root-user", loadFixture("good"));
    expect(good.status).toBe("pass");
    expect(good.evidence).toEqual([
      { path: "Dockerfile", line: 19, note: "USER node" },
      { path: "services/api/api.Dockerfile", line: 6, note: "gcr.io/distroless/static-debian12:nonroot default" },
    ]);
    expect((await detect("docker/non-root-user", loadFixture("inherited-user"))).status).toBe("pass");
  });
  it.each(["root-final-stage", "user-zero"])("fails for %s", async (name) => {
    expect(await detect("docker/non-root-user", loadFixture(name))).toMatchObject({
      status: "fail",
      reasonId: "runs-as-root",
    });
  });
  it("advises a numeric USER or a distroless nonroot base for a FROM scratch final stage, not useradd", async () => {
    const scratch = await detect(
      "docker/non-root-user",
      dockerfile(
        'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
      ),
    );
    expect(scratch).toMatchObject({ status: "fail", reasonId: "runs-as-root" });
    expect(scratch.reason).toContain("USER 65532:65532");
    const debian = await detect("docker/non-root-user", dockerfile('FROM debian:12\nCMD ["true"]\n'));
    expect(debian.reason).not.toContain("65532");
  });
  it("is not applicable to images of files only (FROM scratch, no CMD or ENTRYPOINT)", async () => {
    expect(await detect("docker/non-root-user", dockerfile("FROM scratch\nCOPY app.tar /\n"))).toMatchObject({
      status: "na",
      reasonId: "file-images-only",
    });
  });
  it("fails when any one of several Dockerfiles runs as root", async () => {
    const files = { ...loadFixture("good"), "worker/Dockerfile": "FROM python:3.12\nUSER root\n" };
    const result = await detect("docker/non-root-user", files);
    expect(result.status).toBe("fail");
    expect(result.evidence).toEqual([{ path: "worker/Dockerfile", line: 2, note: "USER root" }]);
  });
});

describe("docker/healthcheck", () => {
  const kinds = { kinds: ["dockerfile", "compose", "k8s-liveness", "k8s-readiness"] };
  it("passes on a Dockerfile HEALTHCHECK", async () => {
    const result = await detect("docker/healthcheck", loadFixture("crlf-bom"), kinds);
    expect(result).toMatchObject({ status: "pass", evidence: [{ path: "Dockerfile", line: 4 }] });
  });
  it("passes on a compose health check of a service that builds the image", async () => {
    const files = {
      ...dockerfile("FROM node:20\n"),
      "compose.yaml": "services:\n  app:\n    build: .\n    healthcheck:\n      test: curl -f http://localhost/\n",
    };
    const result = await detect("docker/healthcheck", files, kinds);
    expect(result).toMatchObject({ status: "pass", evidence: [{ path: "compose.yaml", line: 4 }] });
  });
  it("fails on HEALTHCHECK NONE, disabled compose checks and a check on the database only", async () => {
    const result = await detect("docker/healthcheck", loadFixture("healthcheck-disabled"), kinds);
    expect(result).toMatchObject({ status: "fail", reasonId: "no-healthcheck" });
  });
  it("fails on a HEALTHCHECK in a build stage that the final stage does not inherit", async () => {
    const files = dockerfile(
      "FROM node:20 AS build\nHEALTHCHECK CMD true\nFROM node:20-slim\nCOPY --from=build /a /a\n",
    );
    expect((await detect("docker/healthcheck", files, kinds)).status).toBe("fail");
  });
  it("only counts the kinds it is given", async () => {
    expect((await detect("docker/healthcheck", loadFixture("crlf-bom"), { kinds: ["k8s-liveness"] })).status).toBe(
      "fail",
    );
  });
});

describe("docker/lint-clean", () => {
  it("passes when the only findings are notes and warnings", async () => {
    const result = await detect("docker/lint-clean", loadFixture("unpinned"));
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([{ path: "Dockerfile", line: 1, note: "no lint errors" }]);
  });
  it("fails on a Dockerfile that does not parse, next to one that does", async () => {
    const result = await detect("docker/lint-clean", { ...loadFixture("crlf-bom"), "worker/Dockerfile": "RUN make\n" });
    expect(result).toMatchObject({ status: "fail", reasonId: "lint-errors" });
    expect(result.evidence).toContainEqual(expect.objectContaining({ path: "worker/Dockerfile", line: 1 }));
    expect(result.reason).toMatch(/dockerfile\/parse-error at worker\/Dockerfile:1/);
  });
  it("fails on error-severity lint findings, with their lines and rules", async () => {
    const result = await detect("docker/lint-clean", loadFixture("lint-errors"));
    expect(result.status).toBe("fail");
    expect(result.evidence).toEqual([
      { path: "Dockerfile", line: 2, note: "dockerfile/apt-get_missing_param" },
      { path: "Dockerfile", line: 4, note: "dockerfile/invalid_command" },
    ]);
  });
});

describe("docker/compose-file", () => {
  it("passes on a compose file with services", async () => {
    expect(await detect("docker/compose-file", loadFixture("good"))).toMatchObject({
      status: "pass",
      evidence: [{ path: "compose.yaml", line: 6 }],
    });
  });
  it("fails on a malformed or empty compose file, or none", async () => {
    expect(await detect("docker/compose-file", loadFixture("malformed-compose"))).toMatchObject({
      status: "fail",
      reasonId: "no-compose-file",
    });
    expect((await detect("docker/compose-file", { "compose.yaml": "services: {}\n" })).status).toBe("fail");
    expect((await detect("docker/compose-file", dockerfile("FROM node:20\n"))).status).toBe("fail");
  });
});
