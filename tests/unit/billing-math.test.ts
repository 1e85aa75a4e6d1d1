import { describe, expect, it } from "vitest";

import { daysIn, daysLeft, formatPeriod, periodBoundary } from "@/lib/billing/periods";
import { taxAmount, taxFor } from "@/lib/billing/tax";
import { basisPointsOf, formatMoney, fractionOf } from "@/lib/shared/money";

describe("money in integer cents", () => {
  it("rounds a fraction half away from zero, exactly", () => {
    expect(fractionOf(2900, 26, 31)).toBe(2432); // 2432.26
    expect(fractionOf(2900, 16, 31)).toBe(1497); // 1496.77
    expect(fractionOf(-2900, 16, 31)).toBe(-1497);
    expect(fractionOf(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(fractionOf(-1, 1, 2)).toBe(-1);
    expect(fractionOf(0, 5, 7)).toBe(0);
    // Large amounts stay exact (no floating point in the product).
    expect(fractionOf(9_007_199_254_740, 999_999, 1_000_000)).toBe(9_007_190_247_541);
    expect(() => fractionOf(1.5, 1, 2)).toThrow(RangeError);
    expect(() => fractionOf(1, 1, 0)).toThrow(RangeError);
  });

  it("takes basis points of an amount", () => {
    expect(basisPointsOf(9581, 2000)).toBe(1916); // 1916.2
    expect(basisPointsOf(4376, 2000)).toBe(875); // 875.2
    expect(basisPointsOf(1, 2500)).toBe(0); // 0.25
    expect(basisPointsOf(2, 2500)).toBe(1); // 0.5
  });

  it("writes amounts with their currency", () => {
    expect(formatMoney(2900, "usd")).toBe("$29.00");
    expect(formatMoney(2900, "usd", { whole: true })).toBe("$29");
    expect(formatMoney(-1497, "usd")).toBe("−$14.97");
    expect(formatMoney(123456789, "usd")).toBe("$1,234,567.89");
    expect(formatMoney(5, "chf")).toBe("0.05 CHF");
  });
});

describe("monthly periods", () => {
  const at = (iso: string) => new Date(iso);

  it("keeps the anchor's day, clamped to short months", () => {
    const anchor = at("2030-01-31T09:30:00Z");
    expect([1, 2, 3, 12, 13].map((n) => periodBoundary(anchor, n).toISOString())).toEqual([
      "2030-02-28T09:30:00.000Z",
      "2030-03-31T09:30:00.000Z",
      "2030-04-30T09:30:00.000Z",
      "2031-01-31T09:30:00.000Z",
      "2031-02-28T09:30:00.000Z",
    ]);
    expect(periodBoundary(at("2031-12-29T00:00:00Z"), 2).toISOString()).toBe("2032-02-29T00:00:00.000Z"); // leap year
  });

  it("counts the days of a period and the days left, the day of the change included", () => {
    const start = at("2030-03-01T10:00:00Z");
    const end = at("2030-04-01T10:00:00Z");
    expect(daysIn(start, end)).toBe(31);
    expect(daysLeft(start, start, end)).toBe(31);
    expect(daysLeft(at("2030-03-06T10:00:00Z"), start, end)).toBe(26);
    expect(daysLeft(at("2030-03-06T09:59:59Z"), start, end)).toBe(27);
    expect(daysLeft(at("2030-03-31T23:00:00Z"), start, end)).toBe(1);
    expect(daysLeft(end, start, end)).toBe(0);
  });

  it("writes a period", () => {
    expect(formatPeriod(at("2030-03-01T10:00:00Z"), at("2030-04-01T10:00:00Z"))).toBe("Mar 1 – Apr 1, 2030");
    expect(formatPeriod(at("2030-12-15T10:00:00Z"), at("2031-01-15T10:00:00Z"))).toBe("Dec 15, 2030 – Jan 15, 2031");
  });
});

describe("tax from the billing country", () => {
  it("charges the customer's EU rate without a VAT number, and reverse-charges a business elsewhere in the EU", () => {
    expect(taxFor({ country: "FR", taxId: null })).toEqual({ basisPoints: 2000, label: "VAT 20%", reverseCharge: false });
    expect(taxFor({ country: "DE", taxId: "DE123456789" })).toEqual({ basisPoints: 0, label: "Reverse charge", reverseCharge: true });
    // A malformed number is no reason to reverse-charge.
    expect(taxFor({ country: "DE", taxId: "DE12" })).toMatchObject({ basisPoints: 1900, reverseCharge: false });
  });

  it("charges Irish VAT to an Irish business (the seller's country), and follows the table elsewhere", () => {
    expect(taxFor({ country: "IE", taxId: "IE1234567WA" })).toEqual({ basisPoints: 2300, label: "VAT 23%", reverseCharge: false });
    expect(taxFor({ country: "CH", taxId: null })).toEqual({ basisPoints: 810, label: "VAT 8.1%", reverseCharge: false });
    expect(taxFor({ country: "US", taxId: null })).toEqual({ basisPoints: 0, label: "No tax", reverseCharge: false });
    expect(taxFor({ country: "FI", taxId: null }).label).toBe("VAT 25.5%");
  });

  it("puts no tax on a zero or credit subtotal", () => {
    expect(taxAmount(0, taxFor({ country: "FR", taxId: null }))).toBe(0);
    expect(taxAmount(-500, taxFor({ country: "FR", taxId: null }))).toBe(0);
  });
});
