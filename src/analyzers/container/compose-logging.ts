// A service's `logging:` driver, when it ships the container's logs off the host. Docker's own drivers that
// keep logs on the machine (json-file, local, journald, etwlogs, none) are not log aggregation, nor is syslog
// to the local daemon (no address, a unix socket or a loopback address).
import { asString, isRecord } from "../../engine/yaml.js";
import { definedIn } from "./compose-source.js";

export interface LogShipping {
  /** e.g. "docker-logging:loki" */
  tool: string;
  sinks: string[];
}

/** Built-in drivers that send logs to a remote service, with the option naming where (the sink). */
const REMOTE_DRIVERS: Record<string, { sink: string; address?: string }> = {
  fluentd: { sink: "fluentd", address: "fluentd-address" },
  gelf: { sink: "gelf", address: "gelf-address" },
  awslogs: { sink: "cloudwatch-logs", address: "awslogs-group" },
  gcplogs: { sink: "google-cloud-logging", address: "gcp-project" },
  splunk: { sink: "splunk", address: "splunk-url" },
  // plugins, by the alias their docs install them under or by image name
  loki: { sink: "loki", address: "loki-url" },
  "grafana/loki-docker-driver": { sink: "loki", address: "loki-url" },
  "elastic/elastic-logging-plugin": { sink: "elasticsearch", address: "hosts" },
};

/** `logging:` of a service (merges already applied to the service) → where its logs go, if off the host. */
export function logShipping(logging: unknown): LogShipping | undefined {
  if (!isRecord(logging)) return undefined;
  const driverHolder = definedIn(logging, "driver");
  const driver = driverHolder && interpolateDefault(asString(driverHolder.driver));
  if (!driver) return undefined;
  const optionsHolder = definedIn(logging, "options");
  const options = optionsHolder && isRecord(optionsHolder.options) ? optionsHolder.options : {};
  const option = (name: string) => interpolateDefault(asString(options[name]));
  const name = driver.toLowerCase().replace(/:[^/]*$/, ""); // a plugin's tag
  if (name === "syslog") {
    const address = option("syslog-address");
    return address && isRemoteSyslog(address)
      ? { tool: "docker-logging:syslog", sinks: [`syslog ${address}`] }
      : undefined;
  }
  const known = REMOTE_DRIVERS[name];
  if (!known) return undefined;
  const where = known.address && option(known.address);
  return { tool: `docker-logging:${name}`, sinks: [where ? `${known.sink} ${where}` : known.sink] };
}

/** `tcp://`, `udp://` or `tcp+tls://` to a host that is not this one. */
function isRemoteSyslog(address: string): boolean {
  const match = /^(tcp|udp|tcp\+tls):\/\/(\[[^\]]*\]|[^:/]+)/i.exec(address.trim());
  if (!match) return false;
  const host = match[2]!.toLowerCase().replace(/^\[|\]$/g, "");
  return host !== "localhost" && !host.startsWith("127.") && host !== "::1" && host !== "0.0.0.0";
}

/**
 * Compose interpolation of a whole value: `${VAR:-default}` / `${VAR-default}` runs with the default unless
 * the environment says otherwise; a value that depends on a variable without a default is unknown.
 */
function interpolateDefault(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes("$")) return value?.trim() || undefined;
  const match = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}$]*)\}$/.exec(value.trim());
  return match?.[1]?.trim() || undefined;
}
