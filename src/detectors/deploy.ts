import type { Detector } from "../engine/detector.js";

export const deployDetectors: Record<string, Detector> = {};
