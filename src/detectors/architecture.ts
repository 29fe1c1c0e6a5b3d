import type { Detector } from "../engine/detector.js";

export const architectureDetectors: Record<string, Detector> = {};
