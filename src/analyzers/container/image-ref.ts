// A FROM image reference, `[registry/]name[:tag][@digest]`, and how firmly it is pinned.
import type { BasePin } from "../../facts/container.js";

export interface ImageRef {
  /** registry and repository, e.g. "gcr.io/distroless/nodejs20" */
  name: string;
  tag?: string;
  digest?: string;
  pin: BasePin;
}

/** `image` is the FROM argument after ARG substitution; `stages` are earlier stage names, lower case. */
export function parseImageRef(image: string, stages: ReadonlySet<string>): ImageRef {
  if (stages.has(image.toLowerCase())) return { name: image, pin: "stage" };
  if (image.toLowerCase() === "scratch") return { name: image, pin: "scratch" };
  // an ARG without a default, e.g. FROM ${BASE_IMAGE}: the build caller decides
  if (image.includes("$")) return { name: image, pin: "unresolved" };
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(":");
  // a colon before the last slash belongs to a registry port (localhost:5000/app)
  const tag = colon > rest.lastIndexOf("/") ? rest.slice(colon + 1) : undefined;
  const name = tag === undefined ? rest : rest.slice(0, colon);
  const pin: BasePin = digest
    ? "digest"
    : tag === undefined || tag === ""
      ? "untagged"
      : tag === "latest"
        ? "latest"
        : "tag";
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), pin };
}

/**
 * Base images whose default user is not root, so a Dockerfile built on them runs as non-root
 * without a USER line: distroless `:nonroot` tags (uid 65532) and the `*-unprivileged` images.
 * Kept to images that document it; anything else is assumed to run as root, Docker's default.
 */
export function defaultsToNonRoot(ref: ImageRef): boolean {
  const tag = ref.tag ?? "";
  if (ref.name.includes("distroless/") && /(^|-)nonroot($|-)/.test(tag)) return true;
  return /(^|\/)[a-z0-9._-]+-unprivileged$/.test(ref.name);
}
