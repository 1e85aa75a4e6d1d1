import { describe, expect, it } from "vitest";

import { brandLabel, cardBrand, checkCard, digitsOnly, NON_TEST_CARD_MESSAGE, passesLuhn, testCardOutcome } from "@/lib/billing/cards";

/** A fixed "today" so expiry rules do not drift with the calendar: 15 June 2026 (UTC). */
const NOW = new Date(Date.UTC(2026, 5, 15, 12));

const VALID = { number: "4242 4242 4242 4242", expiry: "12 / 30", cvc: "123" };

function fieldErrors(input: Partial<typeof VALID>) {
  const check = checkCard({ ...VALID, ...input }, NOW);
  return check.ok ? {} : check.fieldErrors;
}

describe("passesLuhn", () => {
  it.each(["4242424242424242", "4000000000000002", "5555555555554444", "378282246310005", "2223003122003222", "0", "79927398713"])(
    "accepts %s",
    (digits) => expect(passesLuhn(digits)).toBe(true),
  );

  it.each(["4242424242424241", "4242424242424243", "1234567812345678", "79927398710"])("refuses %s", (digits) => {
    expect(passesLuhn(digits)).toBe(false);
  });

  it.each(["", "4242 4242 4242 4242", "4242-4242", "42a2", "٤٢٤٢"])("refuses a non-digit string %j", (value) => {
    expect(passesLuhn(value)).toBe(false);
  });
});

describe("digitsOnly / cardBrand / brandLabel", () => {
  it("drops spaces and dashes, nothing else", () => {
    expect(digitsOnly(" 4242 4242-4242\t4242 ")).toBe("4242424242424242");
    expect(digitsOnly("4242.4242")).toBe("4242.4242");
  });

  it.each([
    ["4242424242424242", "visa"],
    ["5555555555554444", "mastercard"],
    ["5105105105105100", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["2720990000000000", "mastercard"],
    ["2721000000000000", "card"],
    ["378282246310005", "amex"],
    ["371449635398431", "amex"],
    ["6011111111111117", "card"],
    ["", "card"],
  ])("%s is %s", (digits, brand) => {
    expect(cardBrand(digits)).toBe(brand);
  });

  it("labels known brands and capitalises others", () => {
    expect(brandLabel("visa")).toBe("Visa");
    expect(brandLabel("amex")).toBe("American Express");
    expect(brandLabel("discover")).toBe("Discover");
  });
});

describe("checkCard", () => {
  it("accepts a valid card and keeps brand, last 4 and expiry (never more of the number)", () => {
    const check = checkCard(VALID, NOW);
    expect(check).toEqual({ ok: true, digits: "4242424242424242", card: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 } });
  });

  it.each([
    ["MM/YY", "07/27", 7, 2027],
    ["M/YY", "7/27", 7, 2027],
    ["MM / YYYY", "07 / 2027", 7, 2027],
    ["MMYY", "0727", 7, 2027],
    ["the current month", "06/26", 6, 2026],
    ["50 years ahead", "12/2076", 12, 2076],
  ])("reads the expiry in the form %s", (_label, expiry, expMonth, expYear) => {
    const check = checkCard({ ...VALID, expiry }, NOW);
    expect(check.ok && check.card).toMatchObject({ expMonth, expYear });
  });

  it("gives one message per field, all at once", () => {
    expect(fieldErrors({ number: "", expiry: "", cvc: "" })).toEqual({
      cardNumber: ["Your card number is incomplete."],
      cardExpiry: ["Your card's expiration date is incomplete."],
      cardCvc: ["Your card's security code is incomplete."],
    });
  });

  it.each([
    ["a failed checksum", "4242 4242 4242 4241"],
    ["letters", "4242 4242 4242 424x"],
    ["11 digits", "42424242424"],
    ["20 digits", "42424242424242424242"],
  ])("refuses a number with %s", (_label, number) => {
    expect(fieldErrors({ number })).toEqual({ cardNumber: ["Your card number is invalid."] });
  });

  it.each([
    ["last month", "05/26", "Your card's expiration date is in the past."],
    ["last year", "12/25", "Your card's expiration year is in the past."],
    ["a four-digit past year", "01/2020", "Your card's expiration year is in the past."],
    ["more than 50 years ahead", "01/2077", "Your card's expiration year is invalid."],
    ["month 13", "13/30", "Your card's expiration date is incomplete."],
    ["month 0", "00/30", "Your card's expiration date is incomplete."],
    ["a three-digit year", "12/300", "Your card's expiration date is incomplete."],
    ["text", "soon", "Your card's expiration date is incomplete."],
  ])("refuses an expiry of %s", (_label, expiry, message) => {
    expect(fieldErrors({ expiry })).toEqual({ cardExpiry: [message] });
  });

  it("compares the expiry with today in UTC", () => {
    // 1 July 2026 00:30 UTC is still 30 June somewhere west: the UTC month decides.
    const earlyJuly = new Date(Date.UTC(2026, 6, 1, 0, 30));
    expect(checkCard({ ...VALID, expiry: "06/26" }, earlyJuly).ok).toBe(false);
    expect(checkCard({ ...VALID, expiry: "07/26" }, earlyJuly).ok).toBe(true);
  });

  it.each([
    ["2 digits", "12"],
    ["4 digits on a Visa", "1234"],
    ["letters", "12a"],
    ["empty", ""],
  ])("refuses a CVC of %s", (_label, cvc) => {
    expect(fieldErrors({ cvc })).toEqual({ cardCvc: ["Your card's security code is incomplete."] });
  });

  it("asks American Express for 4 digits of CVC, and accepts them", () => {
    const amex = { number: "3782 822463 10005", expiry: "12/30" };
    expect(fieldErrors({ ...amex, cvc: "123" })).toEqual({ cardCvc: ["Your card's security code is incomplete."] });
    const check = checkCard({ ...amex, cvc: "1234" }, NOW);
    expect(check.ok && check.card).toEqual({ brand: "amex", last4: "0005", expMonth: 12, expYear: 2030 });
  });

  it("trims spaces around the CVC", () => {
    expect(checkCard({ ...VALID, cvc: " 123 " }, NOW).ok).toBe(true);
  });
});

describe("testCardOutcome", () => {
  it.each(["4242424242424242", "5555555555554444", "378282246310005"])("%s succeeds", (digits) => {
    expect(testCardOutcome(digits)).toEqual({ ok: true });
  });

  it.each([
    ["4000000000000002", "Your card was declined."],
    ["4000000000009995", "Your card has insufficient funds."],
    ["4000000000000069", "Your card has expired."],
    ["4000000000000127", "Your card's security code is incorrect."],
  ])("%s is declined: %s", (digits, message) => {
    expect(testCardOutcome(digits)).toEqual({ ok: false, message });
  });

  it("declines any other number, as a provider in test mode does", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(testCardOutcome("4111111111111111")).toEqual({ ok: false, message: NON_TEST_CARD_MESSAGE });
    // The table is keyed by digits only: a formatted number is not a test card.
    expect(testCardOutcome("4242 4242 4242 4242")).toEqual({ ok: false, message: NON_TEST_CARD_MESSAGE });
  });
});
