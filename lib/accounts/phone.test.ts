// Numbers are stored in E.164, the only form an SMS provider takes: a national number is read in
// the country of the customer's address, and one that cannot be a number is refused in words.
import { describe, expect, it } from "vitest";
import { addressInputSchema } from "@/lib/addresses/schema";
import { profileSchema } from "./schemas";
import { formatPhone, toE164 } from "./phone";

const ADDRESS = { fullName: "Ada Lovelace", line1: "27 Marchmont Street", line2: "", city: "London", region: "", postalCode: "WC1N 1AP", country: "GB" };

describe("phone numbers", () => {
  it("become E.164 whichever way they are typed, national ones in the address's country", () => {
    expect(toE164("07700 900123", "GB")).toEqual({ ok: true, e164: "+447700900123" });
    expect(toE164("+44 (0)7700 900-123", null)).toEqual({ ok: true, e164: "+447700900123" });
    expect(toE164("030 1234567", "DE")).toEqual({ ok: true, e164: "+49301234567" });
    expect(toE164("(415) 555-2671", "US")).toEqual({ ok: true, e164: "+14155552671" });
    expect(addressInputSchema.parse({ ...ADDRESS, phone: "07700 900123" }).phone).toBe("+447700900123");
    expect(addressInputSchema.parse({ ...ADDRESS, phone: "" }).phone).toBeNull();
    expect(profileSchema.parse({ name: "Ada", locale: "en", timeZone: "Europe/London", phone: "020 7946 0018", phoneRegion: "GB" }).phone).toBe("+442079460018");
  });

  it("are shown in groups with their country code, and as stored when they cannot be read", () => {
    expect(formatPhone("+447700900461")).toBe("+44 7700 900461");
    expect(formatPhone("+442079460018")).toBe("+44 20 7946 0018");
    expect(formatPhone("+14155552671")).toBe("+1 415 555 2671");
    expect(formatPhone("not a number")).toBe("not a number");
    // What is shown reads back as the same number when the form is sent again.
    expect(toE164(formatPhone("+447700900461"), null)).toEqual({ ok: true, e164: "+447700900461" });
  });

  it("are refused with what to do when they cannot be a number, or have no country to be read in", () => {
    expect(toE164("12345", "GB")).toMatchObject({ ok: false, message: expect.stringMatching(/^This does not look like a complete phone number/) });
    const noCountry = "We cannot tell which country this number is in. Include your country code, for example +44 20 7946 0000.";
    expect(toE164("07700 900123", null)).toEqual({ ok: false, message: noCountry });
    expect(toE164("(415) 555-2671", null)).toEqual({ ok: false, message: noCountry });
    // Words are no number in any country.
    expect(toE164("call me", null)).toMatchObject({ ok: false, message: expect.stringMatching(/^This does not look like a complete phone number/) });
    const profile = profileSchema.safeParse({ name: "Ada", locale: "en", timeZone: "Europe/London", phone: "07700 900123" });
    expect(profile.success || profile.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["phone", noCountry]]);
    // Shown together with the other fields' problems, not only once they are put right.
    const both = profileSchema.safeParse({ name: "x".repeat(500), locale: "en", timeZone: "Europe/London", phone: "call me", phoneRegion: "GB" });
    expect(both.success || both.error.issues.map((i) => i.path.join(".")).toSorted()).toEqual(["name", "phone"]);
    // A forged country for reading the number is ignored, not trusted to pick anything.
    expect(profileSchema.parse({ name: "Ada", locale: "en", timeZone: "Europe/London", phone: "+49 30 1234567", phoneRegion: "<script>" }).phone).toBe("+49301234567");
  });
});
