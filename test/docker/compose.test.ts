import { describe, expect, it } from "vitest";
import { composeAnalyzer } from "../../src/analyzers/container/compose.js";
import { analyze } from "../helpers.js";
import { loadFixture } from "./load.js";

const matches = (path: string) =>
  composeAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase());

describe("compose file names", () => {
  it.each([
    "docker-compose.yml",
    "docker-compose.yaml",
    "docker-compose.prod.yml",
    "compose.yaml",
    "compose.yml",
    "deploy/compose.dev.yaml",
  ])("reads %s", (path) => expect(matches(path)).toBe(true));
  it.each(["compose.json", "docker-compose.yml.bak", "my-compose.yml", "composer.yaml", "docker-compose.md"])(
    "skips %s",
    (path) => expect(matches(path)).toBe(false),
  );
});

describe("compose analyzer", () => {
  it("reads services (image, build, merged health check, restart, user, volumes) and named volumes", async () => {
    const { facts } = await analyze(loadFixture("good"));
    const [compose] = facts.all("compose");
    expect(compose).toEqual({
      path: "compose.yaml",
      namedVolumes: ["db-data"],
      services: [
        {
          name: "app",
          line: 6,
          build: true,
          buildContext: ".",
          healthcheck: true,
          healthcheckLine: 10,
          restart: "unless-stopped",
          user: "1000",
          volumes: [],
        },
        {
          name: "db",
          line: 16,
          image: "postgres:16.2",
          build: false,
          healthcheck: false,
          volumes: ["db-data:/var/lib/postgresql/data", "./init.sql:/docker-entrypoint-initdb.d/init.sql"],
        },
      ],
    });
    expect(facts.all("healthcheck")).toContainEqual({ path: "compose.yaml", line: 10, kind: "compose" });
  });

  it("a health check with disable: true or test NONE is not a health check", async () => {
    const { facts } = await analyze(loadFixture("healthcheck-disabled"));
    const services = facts.all("compose")[0]!.services;
    expect(services.map((s) => [s.name, s.healthcheck])).toEqual([
      ["web", false],
      ["worker", false],
      ["db", true],
    ]);
    expect(facts.all("healthcheck").filter((h) => h.kind === "compose")).toEqual([
      { path: "docker-compose.yml", line: 12, kind: "compose" },
    ]);
  });

  it("a healthcheck without a test only tunes the image's own check: not a health check by itself", async () => {
    const { facts } = await analyze({
      "compose.yaml": "services:\n  app:\n    build: .\n    healthcheck:\n      interval: 5s\n",
    });
    expect(facts.all("compose")[0]!.services[0]!.healthcheck).toBe(false);
  });

  it("reads a version 1 file whose services sit at the top level", async () => {
    const { facts } = await analyze({
      "docker-compose.yml": "web:\n  build: ./web\n  restart: always\nredis:\n  image: redis:7\n",
    });
    expect(facts.all("compose")[0]!.services.map((s) => [s.name, s.build, s.buildContext, s.image])).toEqual([
      ["web", true, "./web", undefined],
      ["redis", false, undefined, "redis:7"],
    ]);
  });

  it("build with context and dockerfile", async () => {
    const { facts } = await analyze({
      "compose.yml": "services:\n  api:\n    build:\n      context: services/api\n      dockerfile: api.Dockerfile\n",
    });
    expect(facts.all("compose")[0]!.services[0]).toMatchObject({
      build: true,
      buildContext: "services/api",
      dockerfile: "api.Dockerfile",
    });
  });

  describe("malformed input becomes findings, never a crash", () => {
    it("bad YAML is a compose/parse-error with its line", async () => {
      const { findings, facts } = await analyze(loadFixture("malformed-compose"));
      expect(facts.all("compose")).toEqual([]);
      const errors = findings.filter((f) => f.rule === "compose/parse-error");
      expect(errors.length).toBeGreaterThan(0);
      // the parser stops at the mapping whose next line is over-indented
      expect(errors[0]).toMatchObject({ path: "docker-compose.yml", line: 3, severity: "error" });
    });

    it.each([
      ["services is a list", "services:\n  - app\n  - db\n", 1],
      ["the file is a list", "- a\n- b\n", 1],
      ["a service is a string", "services:\n  app: nginx\n", 2],
    ])("%s is compose/invalid", async (_label, text, line) => {
      const { findings } = await analyze({ "compose.yaml": text });
      expect(findings).toContainEqual(expect.objectContaining({ rule: "compose/invalid", line, severity: "warning" }));
    });

    it("wrong types inside a service are ignored, not trusted", async () => {
      const text =
        "services:\n  app:\n    image: [a, b]\n    build: 42\n    healthcheck: yes\n    volumes: {a: 1}\n    user: 1000\n";
      const { facts } = await analyze({ "compose.yaml": text });
      expect(facts.all("compose")[0]!.services[0]).toEqual({
        name: "app",
        line: 2,
        build: false,
        healthcheck: false,
        user: "1000",
        volumes: [],
      });
    });

    it("an empty compose file is a note and no fact", async () => {
      const { findings, facts } = await analyze({ "compose.yaml": "# nothing yet\n" });
      expect(facts.all("compose")).toEqual([]);
      expect(findings).toContainEqual(expect.objectContaining({ rule: "compose/invalid", severity: "note" }));
    });

    it("reads a file that merges shared blocks into many services (over the yaml library's 100 aliases)", async () => {
      const services = Array.from(
        { length: 150 },
        (_, i) => `  s${i}:\n    <<: *base\n    image: app:${i}\n    logging: *log`,
      );
      const text = [
        "x-base: &base",
        "  restart: unless-stopped",
        "  logging: &log",
        "    driver: json-file",
        "services:",
        ...services,
      ].join("\n");
      const { findings, facts } = await analyze({ "compose.yaml": text });
      expect(findings.filter((f) => f.rule === "compose/parse-error")).toEqual([]);
      expect(facts.all("compose")[0]!.services).toHaveLength(150);
    });

    it("an alias bomb is refused with a finding", async () => {
      const bomb = [
        "a: &a [x, x, x, x, x, x, x, x, x]",
        ...Array.from({ length: 8 }, (_, i) => {
          const prev = i === 0 ? "a" : `b${i - 1}`;
          return `b${i}: &b${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
        }),
        "services: {}",
      ].join("\n");
      const { findings } = await analyze({ "compose.yaml": bomb });
      expect(findings).toContainEqual(expect.objectContaining({ rule: "compose/parse-error" }));
    });
  });
});
