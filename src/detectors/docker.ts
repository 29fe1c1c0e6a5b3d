import type { Detector } from "../engine/detector.js";

export const dockerDetectors: Record<string, Detector> = {};
