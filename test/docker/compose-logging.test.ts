import { describe, expect, it } from "vitest";
import { analyze, scanFiles, signalOf } from "../helpers.js";

const logFacts = async (text: string, path = "compose.yaml") =>
  (await analyze({ [path]: text })).facts.all("logShipping");

describe("compose logging drivers", () => {
  it("a loki driver passes monitoring/log-aggregation end to end, with the driver line as evidence", async () => {
    const compose = [
      "services:",
      "  api:",
      "    image: ghcr.io/acme/api:1.4.0",
      "    logging:",
      "      driver: loki",
      "      options:",
      "        loki-url: https://logs.example.com/loki/api/v1/push",
      "",
    ].join("\n");
    const signal = signalOf(await scanFiles({ "compose.yaml": compose }), "monitoring/log-aggregation");
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(expect.objectContaining({ path: "compose.yaml", line: 5 }));
    expect(await logFacts(compose)).toEqual([
      {
        path: "compose.yaml",
        line: 5,
        tool: "docker-logging:loki",
        sinks: ["loki https://logs.example.com/loki/api/v1/push"],
      },
    ]);
  });

  it.each([
    ["json-file", "driver: json-file\n      options:\n        max-size: 10m"],
    ["local", "driver: local"],
    ["none", "driver: none"],
    ["journald", "driver: journald"],
    ["syslog to the local daemon", "driver: syslog"],
    ["syslog to a unix socket", "driver: syslog\n      options:\n        syslog-address: unix:///dev/log"],
    ["syslog to loopback", "driver: syslog\n      options:\n        syslog-address: udp://127.0.0.1:514"],
    ["a variable without a default", "driver: ${LOG_DRIVER}"],
    ["a variable defaulting to json-file", "driver: ${LOG_DRIVER:-json-file}"],
  ])("%s keeps logs on the host: no fact, log-aggregation fails", async (_label, logging) => {
    const compose = `services:\n  api:\n    image: nginx:1.27\n    logging:\n      ${logging}\n`;
    expect(await logFacts(compose)).toEqual([]);
    expect(signalOf(await scanFiles({ "compose.yaml": compose }), "monitoring/log-aggregation").status).toBe("fail");
  });

  it("a commented-out loki driver is not evidence", async () => {
    const compose =
      "services:\n  api:\n    image: nginx:1.27\n    logging:\n      driver: json-file\n      # driver: loki\n";
    expect(await logFacts(compose)).toEqual([]);
  });

  it.each([
    [
      "syslog over tcp to a remote host",
      "syslog",
      "syslog-address: tcp://logs.example.com:514",
      "docker-logging:syslog",
      "syslog tcp://logs.example.com:514",
    ],
    [
      "syslog over udp",
      "syslog",
      "syslog-address: udp://10.0.0.5:514",
      "docker-logging:syslog",
      "syslog udp://10.0.0.5:514",
    ],
    [
      "fluentd",
      "fluentd",
      "fluentd-address: fluentd.internal:24224",
      "docker-logging:fluentd",
      "fluentd fluentd.internal:24224",
    ],
    ["gelf", "gelf", "gelf-address: udp://graylog:12201", "docker-logging:gelf", "gelf udp://graylog:12201"],
    ["awslogs", "awslogs", "awslogs-group: /ecs/api", "docker-logging:awslogs", "cloudwatch-logs /ecs/api"],
    ["gcplogs", "gcplogs", "gcp-project: acme", "docker-logging:gcplogs", "google-cloud-logging acme"],
    ["splunk", "splunk", "splunk-url: https://splunk:8088", "docker-logging:splunk", "splunk https://splunk:8088"],
    [
      "the loki plugin by image name",
      "grafana/loki-docker-driver:2.9.2",
      "loki-url: http://loki:3100/loki/api/v1/push",
      "docker-logging:grafana/loki-docker-driver",
      "loki http://loki:3100/loki/api/v1/push",
    ],
    [
      "a variable defaulting to loki",
      "${LOG_DRIVER:-loki}",
      "loki-url: http://loki:3100",
      "docker-logging:loki",
      "loki http://loki:3100",
    ],
  ])("%s ships logs off the host", async (_label, driver, option, tool, sink) => {
    const compose =
      `services:\n  api:\n    image: nginx:1.27\n    logging:\n      driver: "${driver}"\n` +
      `      options:\n        ${option}\n`;
    expect(await logFacts(compose)).toEqual([{ path: "compose.yaml", line: 5, tool, sinks: [sink] }]);
  });

  it("a driver from an x- anchor merged with <<: points at the anchor's driver line, once for all services", async () => {
    const compose = [
      "x-logging: &default-logging", // 1
      "  logging:", // 2
      "    driver: fluentd", // 3
      "    options:", // 4
      "      fluentd-address: fluent:24224",
      "services:", // 6
      "  api:", // 7
      "    <<: *default-logging", // 8
      "    image: nginx:1.27", // 9
      "  worker:", // 10
      "    <<: *default-logging", // 11
      "    image: busybox:1.36", // 12
      "  db:", // 13
      "    <<: *default-logging", // 14
      "    image: postgres:16", // 15
      "    logging:", // 16
      "      driver: json-file", // 17: own keys win over the merge
      "",
    ].join("\n");
    expect(await logFacts(compose)).toEqual([
      { path: "compose.yaml", line: 3, tool: "docker-logging:fluentd", sinks: ["fluentd fluent:24224"] },
    ]);
  });

  it("logging that merges an anchor and sets its own options takes the anchor's driver line", async () => {
    const compose = [
      "x-log: &log", // 1
      "  driver: gelf", // 2
      "services:", // 3
      "  api:", // 4
      "    image: nginx:1.27", // 5
      "    logging:", // 6
      "      <<: *log", // 7
      "      options:", // 8
      "        gelf-address: udp://graylog:12201",
      "  web:", // 10
      "    image: nginx:1.27", // 11
      "    logging: *log", // 12
      "",
    ].join("\n");
    expect(await logFacts(compose)).toEqual([
      { path: "compose.yaml", line: 2, tool: "docker-logging:gelf", sinks: ["gelf udp://graylog:12201"] },
    ]);
  });

  it.each(["logging: loki", "logging: [loki]", "logging:\n      driver: [loki]", "logging:\n      driver: 42"])(
    "wrong types (%s) are ignored, not a crash",
    async (logging) => {
      expect(await logFacts(`services:\n  api:\n    image: nginx:1.27\n    ${logging}\n`)).toEqual([]);
    },
  );

  it("options of the wrong type only lose the address", async () => {
    expect(
      await logFacts(
        "services:\n  api:\n    image: nginx:1.27\n    logging:\n      driver: loki\n      options: yes\n",
      ),
    ).toEqual([{ path: "compose.yaml", line: 5, tool: "docker-logging:loki", sinks: ["loki"] }]);
  });

  it("a compose file in a vendored folder is not evidence", async () => {
    const compose = "services:\n  api:\n    image: nginx:1.27\n    logging:\n      driver: loki\n";
    expect(
      signalOf(await scanFiles({ "vendor/acme/compose.yaml": compose }), "monitoring/log-aggregation").status,
    ).not.toBe("pass");
  });
});
