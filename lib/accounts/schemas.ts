// Form schemas shared by the browser (inline hints) and the server actions (the real check).
import { z } from "zod";
import { phoneOrIssue } from "./phone";
import { timeZoneSchema } from "@/lib/format/date";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter an email address like name@example.com.")
  .transform((v) => v.toLowerCase());

export const newPasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters for your password.")
  .max(200, "Use at most 200 characters for your password.");

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters for your name."),
  email: emailSchema,
  password: newPasswordSchema,
});

/** The emailed link's last step: its token (from the cookie the link left) and the password chosen at sign-up. */
export const signUpConfirmSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This link is not valid. Sign up again to get a new one."),
  password: z.string().min(1, "Enter the password you chose when you signed up.").max(200, "Use at most 200 characters for your password."),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200, "Use at most 200 characters for your password."),
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z
  .object({
    token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This reset link is not valid. Ask for a new one."),
    password: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });

export type SignUpInput = z.infer<typeof signUpSchema>;

// ---------------------------------------------------------------- account self-service

/** A phone number as typed (empty means none): checked and made E.164 by the form's schema, which knows the country (phoneOrIssue). */
export const phoneTextSchema = z.string().trim().max(30, "Use at most 30 characters for the phone number.");

/** The country a national phone number is read in: the page passes the customer's address country. */
const phoneRegionSchema = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .optional()
  .catch(undefined);

export const LOCALES = { en: "English", de: "Deutsch", fr: "Français", nl: "Nederlands" } as const;
export type Locale = keyof typeof LOCALES;

export const profileSchema = z
  .object({
    name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters for your name."),
    phone: phoneTextSchema,
    phoneRegion: phoneRegionSchema,
    locale: z.enum(Object.keys(LOCALES) as [Locale, ...Locale[]], { error: "Choose one of the languages in the list." }),
    timeZone: timeZoneSchema,
  })
  // The number's own check runs even when other fields have problems, so every mistake is shown at
  // once (a transform alone would only run once the rest of the form parses).
  .superRefine((input, ctx) => void phoneOrIssue(input.phone, input.phoneRegion ?? null, ctx), {
    when: (payload) => typeof (payload.value as { phone?: unknown } | undefined)?.phone === "string" && !payload.issues.some((issue) => issue.path?.[0] === "phone"),
  })
  // Made E.164 (its problems were reported above).
  .transform(({ phoneRegion, ...input }, ctx) => ({ ...input, phone: phoneOrIssue(input.phone, phoneRegion ?? null, ctx) }));

/** What the browser reports on a first visit (Intl's resolved zone). */
export const browserTimeZoneSchema = z.object({ timeZone: timeZoneSchema });

const currentPasswordSchema = z.string().min(1, "Enter your current password.").max(200, "Use at most 200 characters for your password.");

export const emailChangeSchema = z.object({
  newEmail: emailSchema,
  currentPassword: currentPasswordSchema,
});

export const emailChangeTokenSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This confirmation link is not valid. Ask for a new one from your account."),
});

export const passwordChangeSchema = z
  .object({
    currentPassword: currentPasswordSchema,
    newPassword: newPasswordSchema,
    confirmPassword: z.string().max(200, "Use at most 200 characters for your password."),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match." })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from your current one." });

export const reauthenticateSchema = z.object({ currentPassword: currentPasswordSchema });

export type ProfileInput = z.infer<typeof profileSchema>;
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;
