import type { Detector } from "../engine/detector.js";

export const backupsDetectors: Record<string, Detector> = {};
