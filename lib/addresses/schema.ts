// The address form's input, checked against the rules of the chosen country.
import { z } from "zod";
import { phoneTextSchema } from "@/lib/accounts/schemas";
import { phoneOrIssue } from "@/lib/accounts/phone";
import { COUNTRY_RULES, isCountryCode, type CountryCode } from "./countries";

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `Use at most ${max} characters for the ${label}.`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters for the ${label}.`)
    .optional()
    .transform((v) => v || null);

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on");

export const addressInputSchema = z
  .object({
    fullName: text("full name", 100),
    line1: text("first address line", 100),
    line2: optionalText("second address line", 100),
    city: text("town or city", 60).refine((v) => /\p{L}/u.test(v), "Enter the town or city in letters."),
    region: optionalText("region", 60),
    postalCode: z.string().trim().max(20, "That postcode is too long."),
    country: z.string().refine(isCountryCode, "Choose one of the countries we deliver to.").transform((v) => v as CountryCode),
    phone: phoneTextSchema.optional().transform((v) => v ?? ""),
    isDefaultShipping: checkbox,
    isDefaultBilling: checkbox,
  })
  // Runs even when other fields have problems, so every mistake is shown at once.
  .superRefine(
    (input, ctx) => {
      const rules = COUNTRY_RULES[input.country];
      if (!rules.normalisePostalCode(input.postalCode)) {
        ctx.addIssue({ code: "custom", path: ["postalCode"], message: `This is not a ${rules.adjective} ${postalCodeNoun(input.country)}. ${rules.postalCodeHint}` });
      }
      if (rules.region.allowed && !rules.region.allowed.has(input.region?.toUpperCase() ?? "")) {
        ctx.addIssue({ code: "custom", path: ["region"], message: `Enter the ${rules.region.label.toLowerCase()} as its two-letter code, like CA or NY.` });
      }
      // Checked here as well as converted below, so a bad number is shown together with a bad postcode.
      phoneOrIssue(input.phone, input.country, ctx);
    },
    { when: (payload) => isCountryCode((payload.value as { country?: unknown } | undefined)?.country) && typeof (payload.value as { postalCode?: unknown }).postalCode === "string" },
  )
  // The number is read in the address's own country (its problems were reported above).
  .transform((input, ctx) => ({
    ...input,
    phone: phoneOrIssue(input.phone, input.country, ctx),
    postalCode: COUNTRY_RULES[input.country].normalisePostalCode(input.postalCode)!,
    region: COUNTRY_RULES[input.country].region.allowed ? input.region!.toUpperCase() : input.region,
  }));

/** "postcode" or "ZIP code", without the local name in brackets. */
export function postalCodeNoun(country: CountryCode): string {
  return COUNTRY_RULES[country].postalCodeLabel.replace(/ \(.*\)$/, "").replace(/^Postcode/, "postcode");
}

export type AddressInput = z.infer<typeof addressInputSchema>;
