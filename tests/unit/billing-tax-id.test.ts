import { describe, expect, it } from "vitest";

import { billingDetailsSchema } from "@/lib/billing/billing-details";
import { checkTaxId, isEuCountry } from "@/lib/billing/tax-id";
import { COUNTRIES, countryName, isCountryCode } from "@/lib/shared/countries";

describe("checkTaxId: EU VAT numbers", () => {
  it.each([
    ["DE", "DE123456789", "DE123456789"],
    ["DE", "123456789", "DE123456789"],
    ["DE", "de 123 456 789", "DE123456789"],
    ["DE", "DE-123.456.789", "DE123456789"],
    ["FR", "FR12345678901", "FR12345678901"],
    ["FR", "fr ab 123456789", "FRAB123456789"],
    ["FR", "12 345 678 901", "FR12345678901"],
    ["NL", "NL123456789B01", "NL123456789B01"],
    ["NL", "123456789b01", "NL123456789B01"],
    ["NL", "NL 1234.56789.B01", "NL123456789B01"],
    ["GR", "EL123456789", "EL123456789"],
    ["GR", "123456789", "EL123456789"],
    ["GR", "el 123 456 789", "EL123456789"],
    ["IE", "IE1234567WA", "IE1234567WA"],
    ["IE", "1234567W", "IE1234567W"],
    ["IE", "IE 1A23456B", "IE1A23456B"],
    ["ES", "ESX1234567X", "ESX1234567X"],
    ["ES", "B12345678", "ESB12345678"],
    ["ES", "es 12345678z", "ES12345678Z"],
    ["AT", "ATU12345678", "ATU12345678"],
    ["AT", "u12345678", "ATU12345678"],
    ["AT", "AT U 123 456 78", "ATU12345678"],
  ])("%s: %j is valid as %s", (country, raw, value) => {
    expect(checkTaxId(raw, country)).toEqual({ ok: true, value });
  });

  it.each([
    ["DE", "DE12345678", "DE123456789"],
    ["DE", "DE1234567890", "DE123456789"],
    ["DE", "DEA23456789", "DE123456789"],
    ["DE", "ATU12345678", "DE123456789"],
    ["FR", "FRIO123456789", "FR12345678901"],
    ["FR", "FR1234567890", "FR12345678901"],
    ["NL", "NL123456789X01", "NL123456789B01"],
    ["NL", "NL123456789", "NL123456789B01"],
    ["GR", "GR123456789", "EL123456789"],
    ["GR", "EL12345678", "EL123456789"],
    ["IE", "IE1234567XA", "IE1234567WA"],
    ["IE", "IE123456", "IE1234567WA"],
    ["ES", "ES1234567", "ESX1234567X"],
    ["AT", "AT12345678", "ATU12345678"],
    ["AT", "ATU1234567", "ATU12345678"],
  ])("%s: %j is refused with the example %s", (country, raw, example) => {
    const check = checkTaxId(raw, country);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toBe(`This is not a valid VAT number for this country. It looks like ${example}.`);
  });

  it("knows the 27 member states, Greece under GR", () => {
    for (const country of ["AT", "BE", "DE", "ES", "FR", "GR", "IE", "IT", "NL", "PL", "SE"]) expect(isEuCountry(country)).toBe(true);
    for (const country of ["EL", "GB", "CH", "NO", "US", "de", "", "constructor", "toString"]) expect(isEuCountry(country)).toBe(false);
  });
});

describe("checkTaxId outside the EU", () => {
  it.each([
    ["US", "12-3456789", "123456789"],
    ["GB", "GB 123 4567 89", "GB123456789"],
    ["CH", "CHE-123.456.789", "CHE123456789"],
    ["NO", "no 923 609 016 mva", "NO923609016MVA"],
    ["IN", "22AAAAA0000A1Z5", "22AAAAA0000A1Z5"],
    ["AU", "12/345", "12/345"],
  ])("%s: %j is taken as %s", (country, raw, value) => {
    expect(checkTaxId(raw, country)).toEqual({ ok: true, value });
  });

  it.each([
    ["one character", "A"],
    ["31 characters", "A".repeat(31)],
    ["punctuation", "12#34"],
    ["non-ASCII letters", "ÄBC123"],
    ["only separators", " - . "],
  ])("refuses %s", (_label, raw) => {
    expect(checkTaxId(raw, "US")).toEqual({ ok: false, message: "Enter the tax ID with letters and digits only (at most 30)." });
  });
});

describe("countries", () => {
  it("lists all 249 ISO 3166-1 codes once, sorted by English name", () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.code)).size).toBe(249);
    const names = COUNTRIES.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    for (const { code, name } of COUNTRIES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(name.length, code).toBeGreaterThan(0);
    }
  });

  it("names countries in English", () => {
    expect(COUNTRIES).toContainEqual({ code: "DE", name: "Germany" });
    expect(countryName("GR")).toBe("Greece");
    expect(countryName("CH")).toBe("Switzerland");
  });

  it.each(["DE", "GR", "US", "GB", "AX", "SS"])("isCountryCode(%s)", (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(["de", "EL", "UK", "EU", "XK", "XX", "", "DEU", " DE", "constructor"])("isCountryCode(%j) is false", (code) => {
    expect(isCountryCode(code)).toBe(false);
  });
});

describe("billingDetailsSchema", () => {
  const valid = {
    name: " Acme GmbH ",
    email: "Billing@Acme.test",
    addressLine1: "Hauptstraße 1",
    city: "Berlin",
    postalCode: "10115",
    country: "de",
    taxId: "de 123 456 789",
  };

  it("trims, upper-cases the country and normalises the VAT number", () => {
    const parsed = billingDetailsSchema.parse(valid);
    expect(parsed).toMatchObject({ name: "Acme GmbH", country: "DE", taxId: "DE123456789", addressLine2: null });
  });

  it("checks the VAT number against the billing country", () => {
    const parsed = billingDetailsSchema.safeParse({ ...valid, taxId: "12345678" });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues.find((i) => i.path[0] === "taxId");
    expect(issue?.message).toMatch(/DE123456789/);
  });

  it("takes an empty tax ID as none", () => {
    expect(billingDetailsSchema.parse({ ...valid, taxId: "  " }).taxId).toBeNull();
    expect(billingDetailsSchema.parse({ ...valid, taxId: undefined }).taxId).toBeNull();
  });

  it("refuses an unknown country and missing fields", () => {
    const parsed = billingDetailsSchema.safeParse({ ...valid, country: "XX", city: " ", name: undefined });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["country", "city", "name"]));
  });
});
