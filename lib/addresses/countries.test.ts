import { describe, expect, it } from "vitest";
import { likelyCountry } from "./countries";

describe("the country a new address starts in", () => {
  it("is the customer's own: a customer whose addresses are in the US is not offered the United Kingdom", () => {
    expect(likelyCountry([{ country: "US" }, { country: "US" }])).toBe("US");
    expect(likelyCountry([{ country: "NL" }, { country: "DE" }])).toBe("NL");
  });

  it("is the United Kingdom for a customer with no addresses yet", () => {
    expect(likelyCountry([])).toBe("GB");
    expect(likelyCountry([{ country: "XX" }])).toBe("GB");
  });
});
