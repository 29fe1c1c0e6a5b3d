// Container images and how they are composed.

export interface DockerStage {
  line: number;
  image: string;
  tag?: string;
  digest?: string;
  /** `AS name` */
  name?: string;
  /** the stage builds FROM another stage of this file */
  fromStage?: boolean;
}

export interface DockerfileFact {
  path: string;
  stages: DockerStage[];
  /** last USER of the final stage, if any */
  user?: { name: string; line: number };
  /** HEALTHCHECK of the final stage; `disabled` for `HEALTHCHECK NONE` */
  healthcheck?: { line: number; disabled: boolean };
  exposes: number[];
}

export interface DockerignoreFact {
  path: string;
  patterns: string[];
}

export interface ComposeService {
  name: string;
  line: number;
  image?: string;
  build: boolean;
  healthcheck: boolean;
  restart?: string;
  user?: string;
  volumes: string[];
}

export interface ComposeFact {
  path: string;
  services: ComposeService[];
  namedVolumes: string[];
}
