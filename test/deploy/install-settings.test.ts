// A self-hosted compose install with a .env template beside it: each installation fills in its own settings,
// which is the deploy's per-environment input.
import { describe, expect, it } from "vitest";
import { detect, type Files } from "../helpers.js";

const COMPOSE = "services:\n  app:\n    image: ghcr.io/acme/app:1.4\n    env_file: .env\n    restart: unless-stopped\n";
const README = "# App\n\n## Install\n\n```sh\ncp .env.example .env\ndocker compose up -d\n```\n";

describe("deploy/per-environment: a compose install's .env template", () => {
  it("a template beside the compose file the install docs start is the install's settings", async () => {
    for (const template of [".env.example", ".env.sample", "example.env", ".env.template"]) {
      const r = await detect("deploy/per-environment", {
        "README.md": README,
        "compose.yaml": COMPOSE,
        [template]: "APP_URL=\nSECRET_KEY=\n",
      });
      expect(r.status, template).toBe("pass");
      expect(r.evidence).toContainEqual({
        path: template,
        line: 1,
        note: "the install's settings: each installation fills in its own copy",
      });
    }
  });

  it("a template beside the stack an install script starts counts too", async () => {
    const files: Files = {
      "deploy/install.sh": "#!/bin/sh\nset -eu\ndocker compose pull\ndocker compose up -d\n",
      "deploy/compose.yaml": COMPOSE,
      "deploy/.env.example": "APP_URL=\n",
    };
    const r = await detect("deploy/per-environment", files);
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual(expect.objectContaining({ path: "deploy/.env.example" }));
  });

  it("no template, a template in another folder, or a compose file nobody installs give no environment input", async () => {
    const cases: Files[] = [
      { "README.md": README, "compose.yaml": COMPOSE },
      { "README.md": README, "compose.yaml": COMPOSE, "services/api/.env.example": "PORT=\n" },
      { "README.md": "# App\n\nA library.\n", "compose.yaml": COMPOSE, ".env.example": "APP_URL=\n" },
    ];
    for (const files of cases) expect((await detect("deploy/per-environment", files)).status).toBe("fail");
  });
});
