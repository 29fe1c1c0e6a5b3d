// Bytes to analysable text: BOMs, UTF-16, CRLF, binary content and invalid UTF-8 are handled here once.

export type Decoded = { text: string; note?: string } | { binary: true };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

export function decode(content: Uint8Array | string): Decoded {
  if (typeof content === "string") return { text: normalise(content) };
  if (content[0] === 0xff && content[1] === 0xfe)
    return { text: normalise(new TextDecoder("utf-16le").decode(content.subarray(2))) };
  if (content[0] === 0xfe && content[1] === 0xff)
    return { text: normalise(new TextDecoder("utf-16be").decode(content.subarray(2))) };
  const head = content.subarray(0, 8000);
  if (head.includes(0)) return { binary: true };
  try {
    return { text: normalise(utf8.decode(content)) };
  } catch {
    return { text: normalise(latin1.decode(content)), note: "not valid UTF-8; read as Latin-1" };
  }
}

function normalise(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes("\r") ? noBom.replace(/\r\n?/g, "\n") : noBom;
}
