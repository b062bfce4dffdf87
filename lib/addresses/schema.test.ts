import { describe, expect, it } from "vitest";
import { parseForm } from "@/lib/http/form-state";
import { COUNTRY_RULES } from "./countries";
import { addressInputSchema } from "./schema";

const base = { fullName: "Ada Lovelace", line1: "27 Marchmont Street", line2: "", city: "London", region: "", postalCode: "WC1N 1AP", country: "GB", phone: "" };

/** The field messages the form shows, through the same parser the server action uses. */
function errorsOf(input: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(input)) form.set(key, value);
  const parsed = parseForm(addressInputSchema, form);
  return parsed.ok ? {} : (parsed.state.fieldErrors ?? {});
}

describe("postcodes per country", () => {
  it.each([
    ["GB", "sw1a1aa", "SW1A 1AA"],
    ["GB", " wc1n 1ap ", "WC1N 1AP"],
    ["GB", "M4 5AB", "M4 5AB"],
    ["US", "97201", "97201"],
    ["US", "97201-1234", "97201-1234"],
    ["DE", "04103", "04103"],
    ["FR", "75011", "75011"],
    ["NL", "1012ab", "1012 AB"],
  ] as const)("%s accepts %j as %j", (country, raw, written) => {
    expect(COUNTRY_RULES[country].normalisePostalCode(raw)).toBe(written);
  });

  it.each([
    ["GB", "12345"],
    ["GB", "SW1A 1AAA"],
    ["US", "9720"],
    ["US", "SW1A 1AA"],
    ["DE", "00123"],
    ["DE", "1234"],
    ["FR", "99000"],
    ["NL", "0123 AB"],
    ["NL", "1012 SS"],
  ] as const)("%s refuses %j", (country, raw) => {
    expect(COUNTRY_RULES[country].normalisePostalCode(raw)).toBeNull();
  });
});

describe("address form input", () => {
  it("normalises a valid address and turns empty optional fields into nothing", () => {
    const result = addressInputSchema.parse({ ...base, postalCode: "wc1n1ap", isDefaultShipping: "on" });
    expect(result).toEqual({ ...base, line2: null, region: null, phone: null, postalCode: "WC1N 1AP", country: "GB", isDefaultShipping: true, isDefaultBilling: false });
  });

  it("names every problem at once, including the country's postcode format", () => {
    expect(errorsOf({ ...base, fullName: "", city: "", postalCode: "12345" })).toEqual({
      fullName: "Enter the full name.",
      city: "Enter the town or city.",
      postalCode: "This is not a UK postcode. UK postcodes look like SW1A 1AA.",
    });
  });

  it("names the postcode by the country's adjective, as a customer would say it", () => {
    expect(errorsOf({ ...base, country: "DE", city: "Berlin", postalCode: "1234" }).postalCode).toBe("This is not a German postcode. Use 5 digits, like 10115.");
    expect(errorsOf({ ...base, country: "FR", city: "Paris", postalCode: "1234" }).postalCode).toBe("This is not a French postcode. Use 5 digits, like 75011.");
    expect(errorsOf({ ...base, country: "NL", city: "Amsterdam", postalCode: "1234" }).postalCode).toBe("This is not a Dutch postcode. Use 4 digits and 2 letters, like 1012 AB.");
    expect(errorsOf({ ...base, country: "US", city: "Austin", postalCode: "1234", region: "TX" }).postalCode).toBe("This is not a US ZIP code. Use 5 digits, or ZIP+4 like 97201-1234.");
  });

  it("requires a real state in the US, written as its code", () => {
    expect(errorsOf({ ...base, country: "US", city: "Austin", postalCode: "78701", region: "Texas" }).region).toBe("Enter the state as its two-letter code, like CA or NY.");
    expect(addressInputSchema.parse({ ...base, country: "US", city: "Austin", postalCode: "78701", region: "tx" }).region).toBe("TX");
  });

  it("refuses countries Waymark does not deliver to, huge strings and odd phone numbers", () => {
    expect(errorsOf({ ...base, country: "XX" }).country).toBe("Choose one of the countries we deliver to.");
    expect(errorsOf({ ...base, line1: "x".repeat(5000) }).line1).toBe("Use at most 100 characters for the first address line.");
    expect(errorsOf({ ...base, phone: "call me maybe" }).phone).toMatch(/not look like a complete phone number/);
    expect(errorsOf({ ...base, city: "12345" }).city).toBe("Enter the town or city in letters.");
  });
});
