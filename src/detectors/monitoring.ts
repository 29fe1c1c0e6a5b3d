import type { Detector } from "../engine/detector.js";

export const monitoringDetectors: Record<string, Detector> = {};
