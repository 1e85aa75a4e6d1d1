/**
 * Opaque cursors for keyset pagination: the last row's sort key, base64url JSON.
 * Timestamps travel as the text Postgres prints (microseconds and offset), since
 * a JS Date keeps milliseconds only and would skip or repeat rows at a page edge.
 */
export function encodeKeysetCursor(key: object): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeKeysetCursor<T extends object>(value: unknown): Partial<T> | undefined {
  if (typeof value !== "string" || value.length > 300) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}

/** "2026-11-28 23:50:01.123456+00" and the like: what `timestamptz::text` gives. */
export function isTimestampText(value: unknown): value is string {
  return typeof value === "string" && value.length <= 40 && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(value);
}
