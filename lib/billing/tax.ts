import "server-only";

import { basisPointsOf } from "@/lib/shared/money";

import { checkTaxId, isEuCountry } from "./tax-id";

/**
 * Tax on invoices, from the billing country: a simple table of standard rates in
 * basis points (2000 = 20 %). We sell from Ireland: an EU business with a valid
 * VAT number in another member state pays no VAT (reverse charge); anyone else in
 * the EU pays their country's rate; outside the EU, the rate in this table, or none.
 */
export const SELLER_COUNTRY = "IE";

export const TAX_RATES: Record<string, { basisPoints: number; name: string }> = {
  AT: { basisPoints: 2000, name: "VAT" },
  BE: { basisPoints: 2100, name: "VAT" },
  BG: { basisPoints: 2000, name: "VAT" },
  CY: { basisPoints: 1900, name: "VAT" },
  CZ: { basisPoints: 2100, name: "VAT" },
  DE: { basisPoints: 1900, name: "VAT" },
  DK: { basisPoints: 2500, name: "VAT" },
  EE: { basisPoints: 2400, name: "VAT" },
  ES: { basisPoints: 2100, name: "VAT" },
  FI: { basisPoints: 2550, name: "VAT" },
  FR: { basisPoints: 2000, name: "VAT" },
  GR: { basisPoints: 2400, name: "VAT" },
  HR: { basisPoints: 2500, name: "VAT" },
  HU: { basisPoints: 2700, name: "VAT" },
  IE: { basisPoints: 2300, name: "VAT" },
  IT: { basisPoints: 2200, name: "VAT" },
  LT: { basisPoints: 2100, name: "VAT" },
  LU: { basisPoints: 1700, name: "VAT" },
  LV: { basisPoints: 2100, name: "VAT" },
  MT: { basisPoints: 1800, name: "VAT" },
  NL: { basisPoints: 2100, name: "VAT" },
  PL: { basisPoints: 2300, name: "VAT" },
  PT: { basisPoints: 2300, name: "VAT" },
  RO: { basisPoints: 2100, name: "VAT" },
  SE: { basisPoints: 2500, name: "VAT" },
  SI: { basisPoints: 2200, name: "VAT" },
  SK: { basisPoints: 2300, name: "VAT" },
  GB: { basisPoints: 2000, name: "VAT" },
  NO: { basisPoints: 2500, name: "VAT" },
  CH: { basisPoints: 810, name: "VAT" },
  AU: { basisPoints: 1000, name: "GST" },
  NZ: { basisPoints: 1500, name: "GST" },
  CA: { basisPoints: 500, name: "GST" },
  JP: { basisPoints: 1000, name: "Consumption tax" },
  IN: { basisPoints: 1800, name: "GST" },
};

export const REVERSE_CHARGE_NOTE = "VAT reverse charge: the customer accounts for VAT (Article 196, Directive 2006/112/EC).";

export interface TaxDecision {
  basisPoints: number;
  /** "VAT 19%", "Reverse charge", or "No tax". */
  label: string;
  reverseCharge: boolean;
}

function percent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const rest = basisPoints % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}%`;
}

/** The tax an invoice to this address carries. */
export function taxFor(billTo: { country: string; taxId: string | null }): TaxDecision {
  const country = billTo.country.toUpperCase();
  const validVat = billTo.taxId ? checkTaxId(billTo.taxId, country).ok : false;
  if (isEuCountry(country) && country !== SELLER_COUNTRY && validVat) {
    return { basisPoints: 0, label: "Reverse charge", reverseCharge: true };
  }
  const rate = TAX_RATES[country];
  if (!rate || rate.basisPoints === 0) return { basisPoints: 0, label: "No tax", reverseCharge: false };
  return { basisPoints: rate.basisPoints, label: `${rate.name} ${percent(rate.basisPoints)}`, reverseCharge: false };
}

/** The tax on a subtotal (never negative: a credit-only invoice carries none). */
export function taxAmount(subtotalCents: number, decision: TaxDecision): number {
  return subtotalCents <= 0 ? 0 : basisPointsOf(subtotalCents, decision.basisPoints);
}
