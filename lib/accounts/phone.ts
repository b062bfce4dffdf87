// Phone numbers as customers type them ("07700 900123", "+44 7700 900123", "(415) 555-2671"),
// stored in E.164 ("+447700900123"): the only form an SMS provider accepts, so a number saved in
// national format would turn every text into a dead letter. A national number is read in the
// country the customer's parcels go to (phone-country.ts). "Possible" (the right length for its
// country) is the test, not "valid": the numbers set aside for examples and tests (Ofcom's 07700
// 900xxx) are not "valid" in libphonenumber's ranges, yet a customer's real number in a range
// newer than the library is.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { z } from "zod";

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

// Digits and the marks people group them with, no leading "+": a number without its country code,
// which needs a country to be read in (lib/accounts/phone-country.ts).
const NATIONAL = /^[\d\s().-]+$/;
const NO_COUNTRY = "We cannot tell which country this number is in. Include your country code, for example +44 20 7946 0000.";

export function toE164(typed: string, region: string | null): PhoneResult {
  const parsed = parsePhoneNumberFromString(typed, region ? { defaultCountry: region as CountryCode } : undefined);
  if (parsed?.isPossible()) return { ok: true, e164: parsed.number };
  if (!region && NATIONAL.test(typed.trim())) return { ok: false, message: NO_COUNTRY };
  return { ok: false, message: "This does not look like a complete phone number. Check the digits, or start with the country code, like +44 7700 900123." };
}

/**
 * A stored number as people read it, in groups and with its country code ("+44 7700 900123"):
 * stored in E.164 it is one run of digits that is hard to check at a glance. The country code
 * stays, as the number may be in another country than the page's reader or the address.
 * A number the library cannot read is shown as stored.
 */
export function formatPhone(stored: string): string {
  return parsePhoneNumberFromString(stored)?.formatInternational() ?? stored;
}

/** For a schema's transform: the typed number in E.164, null when left empty, or an issue on `path`. */
export function phoneOrIssue(typed: string, region: string | null, ctx: z.RefinementCtx, path: string[] = ["phone"]): string | null {
  if (typed === "") return null;
  const result = toE164(typed, region);
  if (result.ok) return result.e164;
  ctx.addIssue({ code: "custom", path, message: result.message });
  return null;
}
