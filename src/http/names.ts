// GitHub's naming rules, so that a badge URL with anything else is refused before any lookup.
import { TASK_IDS, type TaskId } from "../engine/types.js";

/**
 * Users and organisations: 1–39 letters, digits and hyphens, not starting with a hyphen
 * (GitHub forbids leading/trailing and double hyphens for new accounts; old accounts may still have them).
 */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;

/** Repositories: 1–100 letters, digits, `.`, `_` and `-`; `.` and `..` are reserved. */
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** A branch name in a query: git's ref characters we accept (no `..`, no leading `/` or `-`). */
const REF = /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}$/;

export function isOwnerName(name: string): boolean {
  return OWNER.test(name);
}

export function isRepoName(name: string): boolean {
  return REPO.test(name) && name !== "." && name !== "..";
}

export function isTaskId(name: string): name is TaskId {
  return (TASK_IDS as readonly string[]).includes(name);
}

export function isRefName(name: string): boolean {
  return (
    REF.test(name) && !name.includes("..") && !name.includes("//") && !name.endsWith("/") && !name.endsWith(".lock")
  );
}
