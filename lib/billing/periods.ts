/**
 * Monthly periods and proration to the day, in UTC. Pure functions, so the unit
 * tests can walk month ends and leap years without a database.
 */

const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The start of period `n` of a subscription anchored at `anchor`: the anchor's
 * day and time `n` months later, the day clamped to the month's length (an anchor
 * on the 31st renews on Feb 28 or 29, then on Mar 31).
 */
export function periodBoundary(anchor: Date, n: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + n;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(targetYear, targetMonth));
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** Whole days in a period (its ends share the time of day, and UTC has no daylight saving). */
export function daysIn(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / DAY_MS);
}

/**
 * The days of a period left at `now`, the day of the change included: a change on
 * the first day of a 30-day period leaves 30 days, a change in its last day 1.
 */
export function daysLeft(now: Date, periodStart: Date, periodEnd: Date): number {
  const total = daysIn(periodStart, periodEnd);
  const elapsed = Math.floor((now.getTime() - periodStart.getTime()) / DAY_MS);
  return Math.max(0, Math.min(total, total - elapsed));
}

/** "Nov 30, 2026": how invoices and pages write a day. */
export function formatDay(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Nov 30 – Dec 30, 2026". */
export function formatPeriod(start: Date, end: Date): string {
  const sameYear = start.getUTCFullYear() === end.getUTCFullYear();
  const from = start.toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
    ...(sameYear ? {} : { year: "numeric" }),
  });
  return `${from} – ${formatDay(end)}`;
}
