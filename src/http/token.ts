// Per-repo badge tokens: HMAC-SHA256 of the lower-cased repo name under the server secret (BADGE_SECRET).
// A private repo's badge, endpoint JSON and history are served only with its token; the progression issue
// shows the token to people who can read the repo. Rotating BADGE_SECRET revokes every token.
import { createHmac, timingSafeEqual } from "node:crypto";

/** 32 hex characters (128 bits): short enough for a README URL, far too long to guess. */
export const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

export function badgeToken(secret: string, repo: string): string {
  return createHmac("sha256", secret).update(repo.toLowerCase()).digest("hex").slice(0, 32);
}

export function isValidToken(secret: string | undefined, repo: string, token: string | undefined): boolean {
  if (!secret || !token || !TOKEN_PATTERN.test(token)) return false;
  return timingSafeEqual(Buffer.from(badgeToken(secret, repo)), Buffer.from(token));
}
