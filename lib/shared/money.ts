/**
 * Money is integer cents with its currency, never a floating-point amount. These
 * helpers do the two things invoices need, rounding a fraction of an amount and
 * writing one, in integer arithmetic (BigInt for the products).
 */

/** `amount × numerator / denominator`, rounded half away from zero, in integers. */
export function fractionOf(amountCents: number, numerator: number, denominator: number): number {
  if (!Number.isInteger(amountCents) || !Number.isInteger(numerator) || !Number.isInteger(denominator) || denominator <= 0) {
    throw new RangeError("fractionOf takes integers and a positive denominator");
  }
  const product = BigInt(amountCents) * BigInt(numerator);
  const d = BigInt(denominator);
  const sign = product < 0n ? -1n : 1n;
  const magnitude = product < 0n ? -product : product;
  return Number(sign * ((2n * magnitude + d) / (2n * d)));
}

/** Basis points of an amount (2000 = 20 %), rounded half away from zero. */
export function basisPointsOf(amountCents: number, basisPoints: number): number {
  return fractionOf(amountCents, basisPoints, 10_000);
}

const SYMBOLS: Record<string, string> = { usd: "$", eur: "€", gbp: "£" };

/** "$29.00", "−$4.84" (a real minus sign), or "$29" with `whole` for round amounts. */
export function formatMoney(cents: number, currency: string, options: { whole?: boolean } = {}): string {
  const sign = cents < 0 ? "−" : "";
  const magnitude = Math.abs(cents);
  const units = Math.trunc(magnitude / 100).toLocaleString("en-US");
  const rest = String(magnitude % 100).padStart(2, "0");
  const symbol = SYMBOLS[currency.toLowerCase()];
  const number = options.whole && rest === "00" ? units : `${units}.${rest}`;
  return symbol ? `${sign}${symbol}${number}` : `${sign}${number} ${currency.toUpperCase()}`;
}
