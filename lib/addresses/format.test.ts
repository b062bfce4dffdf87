import { describe, expect, it } from "vitest";
import { addressLines, addressOnOneLine } from "./format";

const austin = { fullName: "Sarah Nguyen", line1: "1993 Cedar Lane", line2: null, city: "Austin", region: "TX", postalCode: "78701", country: "US" };
const london = { fullName: "Rhea Returns", line1: "12 Return Road", line2: "Flat 2", city: "London", region: null, postalCode: "N1 9GU", country: "GB" };
const utrecht = { fullName: "Daan Vos", line1: "Oudegracht 12", line2: null, city: "Utrecht", region: null, postalCode: "3511 AB", country: "NL" };

describe("an address as its country writes it", () => {
  it("puts a US state and ZIP code after the town, on one line", () => {
    expect(addressLines(austin)).toEqual(["Sarah Nguyen", "1993 Cedar Lane", "Austin, TX 78701", "United States"]);
  });

  it("puts a UK postcode on its own line after the town (and the county, when there is one)", () => {
    expect(addressLines(london)).toEqual(["Rhea Returns", "12 Return Road", "Flat 2", "London", "N1 9GU", "United Kingdom"]);
    expect(addressLines({ ...london, line2: null, region: "Kent", city: "Tonbridge", postalCode: "TN9 1AB" }).slice(2, 5)).toEqual(["Tonbridge", "Kent", "TN9 1AB"]);
  });

  it("puts the postcode before the town on the Continent", () => {
    expect(addressLines(utrecht)).toEqual(["Daan Vos", "Oudegracht 12", "3511 AB Utrecht", "Netherlands"]);
    expect(addressLines({ ...utrecht, line1: "Hauptstraße 5", city: "Berlin", postalCode: "10115", country: "DE" })[2]).toBe("10115 Berlin");
  });

  it("leaves the name or the country out when asked, and writes one line for a choice or a message", () => {
    expect(addressOnOneLine(utrecht, { name: false })).toBe("Oudegracht 12, 3511 AB Utrecht, Netherlands");
    expect(addressOnOneLine(london, { name: false, country: false })).toBe("12 Return Road, Flat 2, London, N1 9GU");
    expect(addressOnOneLine(austin)).toBe("Sarah Nguyen, 1993 Cedar Lane, Austin, TX 78701, United States");
  });

  it("skips what an old order's address lacks rather than printing gaps", () => {
    expect(addressLines({ line1: "1 Test Street", city: "London", postalCode: "N1 1AA", country: "GB" })).toEqual(["1 Test Street", "London", "N1 1AA", "United Kingdom"]);
    expect(addressLines({ ...austin, region: null })[2]).toBe("Austin 78701");
  });
});
