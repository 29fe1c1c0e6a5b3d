// One analyzer per CI system; each emits the normalised `ci` fact and a `command` fact per shell command.
import type { Analyzer } from "../../engine/analyzer.js";
import { azurePipelinesAnalyzer } from "./azure-pipelines.js";
import { bitbucketAnalyzer } from "./bitbucket.js";
import { buildkiteAnalyzer } from "./buildkite.js";
import { buildkiteScriptAnalyzer } from "./buildkite-script.js";
import { circleciAnalyzer } from "./circleci.js";
import { cloudBuildAnalyzer } from "./cloud-build.js";
import { concourseAnalyzer } from "./concourse.js";
import { droneAnalyzer } from "./drone.js";
import { githubActionsAnalyzer } from "./github-actions.js";
import { gitlabAnalyzer } from "./gitlab.js";
import { jenkinsAnalyzer } from "./jenkins.js";
import { travisAnalyzer } from "./travis.js";
import { woodpeckerAnalyzer } from "./woodpecker.js";

export const ciAnalyzers: Analyzer[] = [
  githubActionsAnalyzer,
  gitlabAnalyzer,
  jenkinsAnalyzer,
  circleciAnalyzer,
  azurePipelinesAnalyzer,
  travisAnalyzer,
  bitbucketAnalyzer,
  droneAnalyzer,
  buildkiteAnalyzer,
  buildkiteScriptAnalyzer,
  woodpeckerAnalyzer,
  cloudBuildAnalyzer,
  concourseAnalyzer,
];
