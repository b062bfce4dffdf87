import { describe, expect, it } from "vitest";
import { addressNotice } from "./address-notice";

const SAVED = { added: "The address is added to your address book." };

describe("addressNotice", () => {
  it("finds the page's own notice", () => {
    expect(addressNotice(SAVED, "added")).toBe("The address is added to your address book.");
  });

  it("finds nothing for a name every object answers to, an unknown one, none, or one given twice", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "deleted", "", undefined, ["added", "added"]]) expect(addressNotice(SAVED, name)).toBeUndefined();
  });
});
