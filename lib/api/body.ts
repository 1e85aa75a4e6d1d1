import "server-only";

/** Request bodies over 1 MB are refused (docs/security.md), whatever Content-Length claims. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Whether the declared Content-Length alone is over the limit: refused before any work. */
export function declaresTooLarge(request: Request, maxBytes = MAX_BODY_BYTES): boolean {
  const declared = request.headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > maxBytes;
}

export type BodyText = { ok: true; text: string } | { ok: false; problem: "too_large" | "not_utf8" };

/**
 * Reads the body as UTF-8 text, counting the bytes actually received: a client
 * that sends no Content-Length (chunked) or a false one is cut off at the limit.
 */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<BodyText> {
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, problem: "too_large" };
    }
    chunks.push(value);
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, problem: "not_utf8" };
  }
}
