// Infrastructure as code: Kubernetes, Helm, Kustomize, Terraform and the rest.

export interface K8sObjectFact {
  path: string;
  line: number;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** the whole parsed document, for detectors that need a field the analyzer does not lift */
  doc: Record<string, unknown>;
}

export interface HelmChartFact {
  path: string; // Chart.yaml
  dir: string;
  name: string;
  valuesFiles: string[];
}

export interface KustomizationFact {
  path: string;
  dir: string;
  resources: string[];
  /** the overlay builds on another kustomization (resources pointing at ../base etc.) */
  overlay: boolean;
}

export interface TerraformBlock {
  type: string;
  name: string;
  line: number;
  attrs: Record<string, unknown>;
}

export interface TerraformFact {
  path: string;
  resources: TerraformBlock[];
  dataSources: TerraformBlock[];
  modules: { name: string; source?: string; version?: string; line: number }[];
  backend?: { type: string; line: number };
  requiredProviders: { name: string; source?: string; version?: string; line: number }[];
  /** a .tfvars file; its environment comes from the file name */
  tfvars?: boolean;
}

export type IacTool =
  | "terraform" | "pulumi" | "cloudformation" | "cdk" | "bicep" | "arm" | "ansible"
  | "serverless" | "helm" | "kustomize" | "kubernetes" | "nomad" | "crossplane";

/** Any other IaC project or template that the analyzers recognised. */
export interface IacFact {
  path: string;
  line: number;
  tool: IacTool;
  resources: { type: string; name: string; line: number }[];
}
