import "server-only";

/**
 * EU VAT numbers: the format each member state uses, after its prefix (Greece
 * uses EL, not GR). Format only: whether the number is registered is VIES's
 * business, which needs the network.
 */
const EU_VAT_FORMATS: Record<string, { prefix: string; pattern: RegExp; example: string }> = {
  AT: { prefix: "AT", pattern: /^U\d{8}$/, example: "ATU12345678" },
  BE: { prefix: "BE", pattern: /^[01]\d{9}$/, example: "BE0123456789" },
  BG: { prefix: "BG", pattern: /^\d{9,10}$/, example: "BG123456789" },
  CY: { prefix: "CY", pattern: /^\d{8}[A-Z]$/, example: "CY12345678L" },
  CZ: { prefix: "CZ", pattern: /^\d{8,10}$/, example: "CZ12345678" },
  DE: { prefix: "DE", pattern: /^\d{9}$/, example: "DE123456789" },
  DK: { prefix: "DK", pattern: /^\d{8}$/, example: "DK12345678" },
  EE: { prefix: "EE", pattern: /^\d{9}$/, example: "EE123456789" },
  ES: { prefix: "ES", pattern: /^[A-Z0-9]\d{7}[A-Z0-9]$/, example: "ESX1234567X" },
  FI: { prefix: "FI", pattern: /^\d{8}$/, example: "FI12345678" },
  FR: { prefix: "FR", pattern: /^[A-HJ-NP-Z0-9]{2}\d{9}$/, example: "FR12345678901" },
  GR: { prefix: "EL", pattern: /^\d{9}$/, example: "EL123456789" },
  HR: { prefix: "HR", pattern: /^\d{11}$/, example: "HR12345678901" },
  HU: { prefix: "HU", pattern: /^\d{8}$/, example: "HU12345678" },
  IE: { prefix: "IE", pattern: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, example: "IE1234567WA" },
  IT: { prefix: "IT", pattern: /^\d{11}$/, example: "IT12345678901" },
  LT: { prefix: "LT", pattern: /^(\d{9}|\d{12})$/, example: "LT123456789" },
  LU: { prefix: "LU", pattern: /^\d{8}$/, example: "LU12345678" },
  LV: { prefix: "LV", pattern: /^\d{11}$/, example: "LV12345678901" },
  MT: { prefix: "MT", pattern: /^\d{8}$/, example: "MT12345678" },
  NL: { prefix: "NL", pattern: /^\d{9}B\d{2}$/, example: "NL123456789B01" },
  PL: { prefix: "PL", pattern: /^\d{10}$/, example: "PL1234567890" },
  PT: { prefix: "PT", pattern: /^\d{9}$/, example: "PT123456789" },
  RO: { prefix: "RO", pattern: /^\d{2,10}$/, example: "RO1234567890" },
  SE: { prefix: "SE", pattern: /^\d{10}01$/, example: "SE123456789001" },
  SI: { prefix: "SI", pattern: /^\d{8}$/, example: "SI12345678" },
  SK: { prefix: "SK", pattern: /^\d{10}$/, example: "SK1234567890" },
};

export function isEuCountry(country: string): boolean {
  return Object.hasOwn(EU_VAT_FORMATS, country);
}

export type TaxIdCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Normalizes a tax ID for the billing country: spaces, dots and dashes go, letters
 * go upper case, and an EU VAT number gets its country prefix (typing it is optional).
 * Outside the EU any tax ID of plain characters is taken as it is.
 */
export function checkTaxId(raw: string, country: string): TaxIdCheck {
  const compact = raw.replace(/[\s.\-]/g, "").toUpperCase();
  const vat = isEuCountry(country) ? EU_VAT_FORMATS[country] : undefined;
  if (!vat) {
    if (!/^[A-Z0-9/]{2,30}$/.test(compact)) return { ok: false, message: "Enter the tax ID with letters and digits only (at most 30)." };
    return { ok: true, value: compact };
  }
  const number = compact.startsWith(vat.prefix) ? compact.slice(vat.prefix.length) : compact;
  if (!vat.pattern.test(number)) {
    return { ok: false, message: `This is not a valid VAT number for this country. It looks like ${vat.example}.` };
  }
  return { ok: true, value: vat.prefix + number };
}
