// A fake container runtime for scripts/deploy.sh and rollback.sh: a stub `docker` that records every call
// and keeps one container's state in files, and a /healthz server whose answer depends on the image the
// stub "runs" (images listed as bad answer 503). Nothing here is timed: the scripts poll until they decide.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./root.js";

const STUB = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >> "$STUB_STATE/calls"
args=("$@")
if [[ \${args[0]} == --context ]]; then args=("\${args[@]:2}"); fi
state="$STUB_STATE"
case "\${args[0]}" in
  inspect)
    [[ -s $state/running ]] || { echo "Error: No such object: \${args[-1]}" >&2; exit 1; }
    if [[ \${args[2]} == *Labels* ]]; then cat "$state/label" 2>/dev/null || echo "<no value>"
    else echo "$(cat "$state/running") true"; fi ;;
  pull)
    if grep -qxF -- "\${args[1]}" "$state/missing" 2>/dev/null; then echo "manifest unknown" >&2; exit 1; fi ;;
  run)
    printf '%s\\n' "\${args[-1]}" > "$state/running"
    : > "$state/label"
    for ((i = 0; i < \${#args[@]}; i++)); do
      if [[ \${args[i]} == --label && \${args[i+1]} == org.devops-ladder.previous-image=* ]]; then
        printf '%s\\n' "\${args[i+1]#*=}" > "$state/label"
      fi
    done ;;
  rm) : > "$state/running" ;;
  exec | logs) ;;
  *) echo "stub: unexpected \${args[0]}" >&2; exit 2 ;;
esac
`;

export const IMAGE = "ghcr.io/devops-ladder/devops-ladder";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** the runtime calls, one argument string each, `--context <ctx>` included */
  calls: string[];
  /** the image the container runs afterwards, or "" */
  running: string;
}

export class FakeHost {
  readonly dir = mkdtempSync(join(tmpdir(), "devops-ladder-deploy-"));
  private readonly stub = join(this.dir, "docker-stub");
  private readonly envFile = join(this.dir, "app.env");
  private server?: Server;
  private port = 0;

  constructor() {
    writeFileSync(this.stub, STUB);
    chmodSync(this.stub, 0o755);
    writeFileSync(this.envFile, "APP_ID=1\n");
  }

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      const running = this.running();
      const healthy = running !== "" && !this.lines("bad").includes(running);
      res.writeHead(healthy ? 200 : 503).end(healthy ? '{"status":"ok"}' : '{"status":"error"}');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** A container already runs this image, deployed after `previous` when given. */
  runs(image: string, previous?: string): this {
    writeFileSync(join(this.dir, "running"), `${image}\n`);
    if (previous) writeFileSync(join(this.dir, "label"), `${previous}\n`);
    return this;
  }

  /** Images that start but never answer /healthz. */
  unhealthy(...images: string[]): this {
    writeFileSync(join(this.dir, "bad"), images.map((i) => `${i}\n`).join(""));
    return this;
  }

  /** Images the registry does not have. */
  unpullable(...images: string[]): this {
    writeFileSync(join(this.dir, "missing"), images.map((i) => `${i}\n`).join(""));
    return this;
  }

  run(script: string, args: string[]): Promise<RunResult> {
    writeFileSync(join(this.dir, "calls"), "");
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.dir,
      STUB_STATE: this.dir,
      DEPLOY_RUNTIME: this.stub,
      DEPLOY_ENV_FILE: this.envFile,
      HEALTH_URL: `http://127.0.0.1:${this.port}/healthz`,
      HEALTH_TIMEOUT: "2",
      HEALTH_INTERVAL: "0.1",
    };
    return new Promise((resolve) => {
      execFile(join(ROOT, script), args, { env }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, calls: this.lines("calls"), running: this.running() });
      });
    });
  }

  running(): string {
    return this.lines("running")[0] ?? "";
  }

  async close(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private lines(name: string): string[] {
    const path = join(this.dir, name);
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
  }
}
