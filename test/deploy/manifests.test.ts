import { describe, expect, it } from "vitest";
import { manifestAnalyzer } from "../../src/analyzers/scripts/manifests.js";
import { analyze } from "../helpers.js";

async function manifest(path: string, text: string) {
  const a = await analyze({ [path]: text });
  return { fact: a.facts.all("manifest")[0], commands: a.facts.all("command"), findings: a.findings };
}
const deps = (fact: { declared?: { name: string; line: number; dev?: boolean }[] } | undefined) =>
  fact?.declared?.map((d) => `${d.name}@${d.line}${d.dev ? " dev" : ""}`);

describe("package manifests", () => {
  it("matches manifests by name only", () => {
    const m = (p: string) => manifestAnalyzer.match(p, p.slice(p.lastIndexOf("/") + 1), p.toLowerCase());
    expect(
      [
        "package.json",
        "api/pyproject.toml",
        "requirements-dev.txt",
        "requirements/prod.txt",
        "go.mod",
        "Gemfile",
        "Cargo.toml",
        "pom.xml",
        "build.gradle.kts",
        "Pipfile",
        "composer.json",
      ].every(m),
    ).toBe(true);
    expect(["package-lock.json", "notes.txt", "Gemfile.lock", "go.sum", "tsconfig.json"].some(m)).toBe(false);
  });

  it("package.json: dependencies with lines, scripts as commands with the script as unit", async () => {
    const { fact, commands } = await manifest(
      "package.json",
      [
        "{",
        '  "scripts": {',
        '    "build": "tsc",',
        '    "deploy": "npm run build && npx serverless deploy --stage prod"',
        "  },",
        '  "dependencies": { "prom-client": "^15.1.0",',
        '    "pg": "^8" },',
        '  "devDependencies": { "vitest": "^4" }',
        "}",
      ].join("\n"),
    );
    expect(fact).toMatchObject({
      ecosystem: "npm",
      dependencies: ["prom-client", "pg", "vitest"],
      scriptLines: { build: 3, deploy: 4 },
    });
    expect(deps(fact)).toEqual(["prom-client@6", "pg@7", "vitest@8 dev"]);
    expect(commands.map((c) => [c.unit, c.line, c.origin, c.argv.join(" ")])).toEqual([
      ["build", 3, "package-json", "tsc"],
      ["deploy", 4, "package-json", "npm run build"],
      ["deploy", 4, "package-json", "npx serverless deploy --stage prod"],
    ]);
  });

  it("package.json: bad JSON and wrong types become findings or are skipped, never a crash", async () => {
    const bad = await manifest("package.json", '{\n  "name": "x",\n  "scripts": { "a": "b", }\n}');
    expect(bad.fact).toBeUndefined();
    expect(bad.findings).toEqual([expect.objectContaining({ rule: "manifest/parse-error", line: 3 })]);
    const odd = await manifest(
      "package.json",
      '{ "scripts": ["deploy"], "dependencies": "pg", "devDependencies": { "a": 1 } }',
    );
    expect(odd.fact).toMatchObject({ dependencies: ["a"], scripts: {} });
    const array = await manifest("package.json", "[1, 2]");
    expect(array.findings).toEqual([
      expect.objectContaining({ rule: "manifest/parse-error", message: expect.stringContaining("not a JSON object") }),
    ]);
  });

  it("requirements.txt: PEP 503 names, no options, URLs or comments", async () => {
    const { fact } = await manifest(
      "requirements.txt",
      "# web\nDjango>=4.2  # framework\n-r base.txt\n-e git+https://x/y.git#egg=z\n" +
        "psycopg2_binary==2.9.9 ; python_version > '3.8'\nhttps://example.com/pkg.whl\n" +
        "prometheus-client[twisted]\n",
    );
    expect(deps(fact)).toEqual(["django@2", "psycopg2-binary@5", "prometheus-client@7"]);
    expect(fact!.declared![1]!.version).toBe("==2.9.9");
  });

  it("pyproject.toml: PEP 621, dependency groups and Poetry", async () => {
    const { fact } = await manifest(
      "pyproject.toml",
      [
        "[project]",
        'name = "api"',
        'dependencies = ["fastapi>=0.110", "opentelemetry-sdk"]',
        "[project.optional-dependencies]",
        'pg = ["asyncpg"]',
        "[dependency-groups]",
        'dev = ["pytest"]',
        "[tool.poetry.dependencies]",
        'python = "^3.12"',
        'SQLAlchemy = "^2"',
        "[tool.poetry.group.test.dependencies]",
        'pytest-cov = "*"',
      ].join("\n"),
    );
    expect(deps(fact)).toEqual([
      "fastapi@3",
      "opentelemetry-sdk@3",
      "asyncpg@5",
      "pytest@7 dev",
      "sqlalchemy@10",
      "pytest-cov@12 dev",
    ]);
  });

  it("pyproject.toml and Pipfile: TOML errors are findings with the line", async () => {
    const { fact, findings } = await manifest(
      "pyproject.toml",
      '[project]\nname = "x"\ndependencies = ["a",\n[tool]\n',
    );
    expect(fact).toBeUndefined();
    expect(findings[0]).toMatchObject({ rule: "manifest/parse-error", severity: "warning" });
    expect(findings[0]!.line).toBeGreaterThan(1);
    const pip = await manifest("Pipfile", '[packages]\nrequests = "*"\n\n[dev-packages]\nblack = "*"\n');
    expect(deps(pip.fact)).toEqual(["requests@2", "black@5 dev"]);
  });

  it("go.mod: direct requirements only", async () => {
    const { fact } = await manifest(
      "go.mod",
      "module x\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n\nrequire (\n" +
        "\tgithub.com/prometheus/client_golang v1.19.0\n\tgolang.org/x/sys v0.1.0 // indirect\n)\n",
    );
    expect(deps(fact)).toEqual(["github.com/lib/pq@5", "github.com/prometheus/client_golang@8"]);
  });

  it("Gemfile: gem lines, test groups as dev, comments ignored", async () => {
    const { fact } = await manifest(
      "Gemfile",
      "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n# gem 'mysql2'\ngem \"pg\"\n" +
        "group :development, :test do\n  gem 'rspec-rails'\nend\ngem 'puma'\n",
    );
    expect(deps(fact)).toEqual(["rails@2", "pg@4", "rspec-rails@6 dev", "puma@8"]);
  });

  it("Cargo.toml: dependency tables, renamed crates", async () => {
    const { fact } = await manifest(
      "Cargo.toml",
      '[package]\nname = "x"\n[dependencies]\ntokio = { version = "1", features = ["full"] }\n' +
        'metrics = "0.22"\npg = { package = "tokio-postgres", version = "0.7" }\n' +
        '[dev-dependencies]\ninsta = "1"\n',
    );
    expect(deps(fact)).toEqual(["tokio@4", "metrics@5", "tokio-postgres@6", "insta@8 dev"]);
  });

  it("composer.json: packages, not PHP or extensions", async () => {
    const { fact } = await manifest(
      "composer.json",
      '{\n "require": {\n  "php": ">=8.2",\n  "ext-pdo": "*",\n  "monolog/monolog": "^3"\n },\n' +
        ' "require-dev": { "phpunit/phpunit": "^11" }\n}',
    );
    expect(deps(fact)).toEqual(["monolog/monolog@5", "phpunit/phpunit@7 dev"]);
  });

  it("pom.xml: project dependencies, not managed versions, plugins or comments", async () => {
    const { fact } = await manifest(
      "pom.xml",
      [
        "<project>",
        "  <dependencyManagement><dependencies>" +
          "<dependency><groupId>bom</groupId><artifactId>managed</artifactId></dependency>" +
          "</dependencies></dependencyManagement>",
        "  <dependencies>",
        "    <!-- <dependency><groupId>old</groupId><artifactId>gone</artifactId></dependency> -->",
        "    <dependency>",
        "      <groupId>io.micrometer</groupId>",
        "      <artifactId>micrometer-registry-prometheus</artifactId>",
        "      <version>${micrometer.version}</version>",
        "    </dependency>",
        "    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>",
        "  </dependencies>",
        "  <build><plugins><plugin><dependencies>" +
          "<dependency><groupId>p</groupId><artifactId>plugin-dep</artifactId></dependency>" +
          "</dependencies></plugin></plugins></build>",
        "</project>",
      ].join("\n"),
    );
    expect(deps(fact)).toEqual([
      "io.micrometer:micrometer-registry-prometheus@5",
      "org.junit.jupiter:junit-jupiter@10 dev",
    ]);
    expect(fact!.declared![0]!.version).toBe("${micrometer.version}");
  });

  it("pom.xml without a project is a note, not facts", async () => {
    const { fact, findings } = await manifest("pom.xml", "<html></html>");
    expect(fact).toBeUndefined();
    expect(findings).toEqual([expect.objectContaining({ rule: "manifest/parse-error", severity: "note" })]);
  });

  it("build.gradle(.kts): string and map coordinates, comments ignored", async () => {
    const { fact } = await manifest(
      "build.gradle.kts",
      [
        "dependencies {",
        '    implementation("io.micrometer:micrometer-core:1.12.0")',
        '    // implementation("org.old:gone:1")',
        '    /* runtimeOnly("org.old:also-gone:1") */',
        '    runtimeOnly("org.postgresql:postgresql")',
        '    implementation(platform("org.springframework.boot:spring-boot-dependencies:3.2.0"))',
        "    implementation(libs.jackson.core)",
        '    testImplementation("org.junit.jupiter:junit-jupiter:5.10.0")',
        "}",
      ].join("\n"),
    );
    expect(deps(fact)).toEqual([
      "io.micrometer:micrometer-core@2",
      "org.postgresql:postgresql@5",
      "org.springframework.boot:spring-boot-dependencies@6",
      "org.junit.jupiter:junit-jupiter@8 dev",
    ]);
    const groovy = await manifest(
      "build.gradle",
      "dependencies {\n  compile group: 'mysql', name: 'mysql-connector-java', version: " +
        "'8.0.33'\n  api 'com.zaxxer:HikariCP:5.1.0' // pool\n}\n",
    );
    expect(deps(groovy.fact)).toEqual(["mysql:mysql-connector-java@2", "com.zaxxer:HikariCP@3"]);
  });
});
