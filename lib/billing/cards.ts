import "server-only";

/**
 * Card checks the test payment page makes before "charging": the same rules and
 * messages a hosted checkout gives. The number is only ever held in memory here.
 */

export function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** The Luhn checksum every card number carries. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type CardBrand = "visa" | "mastercard" | "amex" | "card";

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return "visa";
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  return "card";
}

export const BRAND_LABELS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", card: "Card" };

export function brandLabel(brand: string): string {
  return BRAND_LABELS[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** "Visa •••• 4242": how pages and activity entries name a card. */
export function describeCard(card: { brand: string; last4: string }): string {
  return `${brandLabel(card.brand)} •••• ${card.last4}`;
}

export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type CardCheck = { ok: true; card: CardDetails; digits: string } | { ok: false; fieldErrors: Record<string, string[]> };

/** Parses "MM / YY", "MM/YYYY" and the like. */
function parseExpiry(raw: string): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(raw);
  if (!match) return undefined;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return { month, year };
}

/** Checks number, expiry and CVC as a checkout form does, field by field. */
export function checkCard(input: { number: string; expiry: string; cvc: string }, now = new Date()): CardCheck {
  const fieldErrors: Record<string, string[]> = {};
  const digits = digitsOnly(input.number);
  if (!digits) fieldErrors.cardNumber = ["Your card number is incomplete."];
  else if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) fieldErrors.cardNumber = ["Your card number is invalid."];

  const expiry = parseExpiry(input.expiry);
  if (!expiry || expiry.month < 1 || expiry.month > 12) {
    fieldErrors.cardExpiry = ["Your card's expiration date is incomplete."];
  } else if (expiry.year < now.getUTCFullYear()) {
    fieldErrors.cardExpiry = ["Your card's expiration year is in the past."];
  } else if (expiry.year === now.getUTCFullYear() && expiry.month < now.getUTCMonth() + 1) {
    fieldErrors.cardExpiry = ["Your card's expiration date is in the past."];
  } else if (expiry.year > now.getUTCFullYear() + 50) {
    fieldErrors.cardExpiry = ["Your card's expiration year is invalid."];
  }

  const cvcLength = cardBrand(digits) === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(input.cvc.trim())) fieldErrors.cardCvc = ["Your card's security code is incomplete."];

  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, digits, card: { brand: cardBrand(digits), last4: digits.slice(-4), expMonth: expiry!.month, expYear: expiry!.year } };
}

/**
 * The test cards: a few succeed, a few are declined with the messages a real
 * provider gives; any other number is declined, as a real provider in test mode does.
 */
const TEST_CARD_OUTCOMES: Record<string, { declined?: string; chargeDeclined?: string }> = {
  "4242424242424242": {},
  "4000056655665556": {},
  "5555555555554444": {},
  "2223003122003222": {},
  "378282246310005": {},
  // Saved without trouble, declined when charged: how a card that stops working looks.
  "4000000000000341": { chargeDeclined: "Your card was declined." },
  "4000000000000002": { declined: "Your card was declined." },
  "4000000000009995": { declined: "Your card has insufficient funds." },
  "4000000000000069": { declined: "Your card has expired." },
  "4000000000000127": { declined: "Your card's security code is incorrect." },
};

export const NON_TEST_CARD_MESSAGE = "Your card was declined. Your request was in test mode, but used a non test card.";

export function testCardOutcome(digits: string): { ok: true } | { ok: false; message: string } {
  const outcome = TEST_CARD_OUTCOMES[digits];
  if (!outcome) return { ok: false, message: NON_TEST_CARD_MESSAGE };
  return outcome.declined ? { ok: false, message: outcome.declined } : { ok: true };
}

/**
 * The test provider's reference for a saved test card: what charging it will do
 * (the number itself is never kept). Stripe names its test payment methods in the same spirit (pm_card_chargeDeclined).
 */
export function testCardRef(digits: string): string {
  return TEST_CARD_OUTCOMES[digits]?.chargeDeclined ? "test_card_charge_declined" : "test_card";
}

export function testChargeOutcome(providerRef: string | null): { ok: true } | { ok: false; message: string } {
  return providerRef === "test_card_charge_declined" ? { ok: false, message: "Your card was declined." } : { ok: true };
}
