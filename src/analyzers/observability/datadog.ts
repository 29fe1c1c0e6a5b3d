// Datadog Agent (datadog.yaml): ships logs to Datadog only with `logs_enabled: true`.
import type { YamlKind } from "./kind.js";

export const datadogAgent: YamlKind = {
  id: "datadog-agent",
  recognises: (v) => "logs_enabled" in v && ("api_key" in v || "site" in v || "logs_config" in v),
  read({ file, out, doc, value }) {
    if (value.logs_enabled !== true && value.logs_enabled !== "true") return;
    out.fact("logShipping", {
      path: file.path,
      line: doc.lineAt(["logs_enabled"]),
      tool: "datadog-agent",
      sinks: ["datadog"],
      role: "shipper",
    });
  },
};
