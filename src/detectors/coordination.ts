import type { Detector } from "../engine/detector.js";

export const coordinationDetectors: Record<string, Detector> = {};
