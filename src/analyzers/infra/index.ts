// Infrastructure as code: one analyzer per file kind.
import type { Analyzer } from "../../engine/analyzer.js";
import { bicepAnalyzer } from "./bicep.js";
import { cdkAnalyzer } from "./cdk.js";
import { cloudTemplateAnalyzer } from "./cloud-templates.js";
import { helmChartAnalyzer, helmValuesAnalyzer } from "./helm.js";
import { helmTemplateAnalyzer } from "./helm-templates.js";
import { kubernetesAnalyzer } from "./kubernetes.js";
import { kustomizeAnalyzer } from "./kustomize.js";
import { nomadAnalyzer } from "./nomad.js";
import { pulumiAnalyzer } from "./pulumi.js";
import { terraformAnalyzer } from "./terraform.js";

export const infraAnalyzers: Analyzer[] = [
  kubernetesAnalyzer,
  helmChartAnalyzer,
  helmValuesAnalyzer,
  helmTemplateAnalyzer,
  kustomizeAnalyzer,
  terraformAnalyzer,
  cloudTemplateAnalyzer,
  pulumiAnalyzer,
  cdkAnalyzer,
  bicepAnalyzer,
  nomadAnalyzer,
];
