const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relativeTime(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return Math.abs(seconds) < 30 ? "just now" : format.format(seconds, "second");
}

/** "3 days ago", with the exact UTC time on hover. */
export function RelativeTime({ date, prefix = "", className }: { date: Date; prefix?: string; className?: string }) {
  const exact = `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return (
    <time dateTime={date.toISOString()} title={exact} className={className}>
      {prefix}
      {relativeTime(date)}
    </time>
  );
}
