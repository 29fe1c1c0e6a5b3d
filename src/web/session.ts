// Sessions in a cookie: the signed-in user (login, id) and their user-to-server token, sealed with AES-256-GCM
// under a key derived from SESSION_SECRET. GCM's tag signs the cookie (a changed byte is refused) and the
// encryption keeps the token out of sight of anything that reads cookies without the key. The cookie is
// HttpOnly (no script reads it), SameSite=Lax (a cross-site POST does not carry it; coming back from GitHub's
// authorisation page, a top-level GET, does), Secure and `__Host-` prefixed when the app is served over HTTPS.
// Nothing is kept on the server: any instance with the same secret reads any session.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens small JSON values; each value carries its own expiry and purpose. */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32)
      throw new Error("SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)");
    this.key = Buffer.from(hkdfSync("sha256", secret, "devops-ladder", "dashboard session cookie v1", 32));
  }

  /** `purpose` keeps a value sealed for one cookie from being replayed as another. */
  seal(purpose: string, value: unknown, expiresAt: number): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const plain = Buffer.from(JSON.stringify({ exp: expiresAt, value }));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The value, or undefined when the text was not sealed by us for this purpose, was altered, or expired. */
  open<T>(purpose: string, text: string | undefined, now: number): T | undefined {
    if (!text || text.length > 8192) return undefined;
    const bytes = Buffer.from(text, "base64url");
    if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const parsed = JSON.parse(plain.toString("utf8")) as { exp?: unknown; value?: unknown };
      if (typeof parsed.exp !== "number" || parsed.exp <= now) return undefined;
      return parsed.value as T;
    } catch {
      return undefined;
    }
  }
}

/** The cookies of a request by name (the first of duplicates wins, as browsers send the most specific first). */
export function readCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  /** seconds; 0 deletes the cookie */
  maxAge: number;
}

/** `__Host-name` over HTTPS (the browser then refuses it without Secure, Path=/ and no Domain). */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAge}`];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
