import "server-only";

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

/**
 * "2026-11-28 23:50:01.123456+00" and the like: what `timestamptz::text` gives,
 * and a real instant (no month 13, February 30 or hour 25), so the database
 * cast cannot fail on a tampered cursor.
 */
export function isTimestampText(value: unknown): value is string {
  if (typeof value !== "string" || value.length > 40) return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return isCalendarDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
}

/** A day that exists, in the years the app deals with (Postgres has no year 0; JS dates roll Feb 30 over). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 9998) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
