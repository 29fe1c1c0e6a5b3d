import type { Detector } from "../engine/detector.js";

export const cicdDetectors: Record<string, Detector> = {};
