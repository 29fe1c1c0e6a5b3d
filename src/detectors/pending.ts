// TEMPORARY: lets placeholder rules load while the real detectors land. Removed before release.
import type { Detector } from "../engine/detector.js";

export const pendingDetectors: Record<string, Detector> = {
  "not-implemented": () => ({ status: "na", reason: "not implemented yet" }),
};
