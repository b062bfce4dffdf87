"use server";
import { confirmSignUp } from "@/lib/accounts/signup";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { signUpConfirmSchema } from "@/lib/accounts/schemas";
import { db } from "@/lib/db/client";
import { formAction } from "@/lib/http/action-client";
import { formFields } from "@/lib/http/form-state";
import { urlSecret } from "@/lib/http/url-secret";

const EXPIRED = "This link has expired or was already used. Sign up again to get a new one.";

export const confirmSignUpAction = formAction(
  {
    name: "signup-confirm",
    who: "public",
    input: signUpConfirmSchema,
    // The token never travels in the page: it is the cookie the emailed link left.
    read: async ({ formData }) => ({ ...formFields(formData), token: (await urlSecret("signup")) ?? "" }),
    // A link that is no link is one thing; a password left empty, another (the customer's to fix).
    trail: { type: "signup", step: "email", invalidInput: (error) => (error.issues.some((issue) => issue.path[0] === "token") ? "link_invalid" : "validation_error") },
  },
  async ({ input, trail }) => {
    const result = await confirmSignUp(db(), input.token, input.password, trail);
    // The link's cookie stays until it expires (its request is gone, so it opens nothing): setting
    // a cookie here would re-render the page without its form, which signs the customer in next.
    if (result.ok) return { status: "ok", message: "Your account is ready. Signing you in…" };
    if (result.reason === "email_taken") return { status: "error", message: "This email already has an account. Sign in, or reset your password if you forgot it." };
    if (result.reason === "too_many_attempts") {
      await trail.failed("too_many_attempts");
      return { status: "error", message: tooManyAttemptsMessage(result.retryAfterSeconds, "sign up again to choose a new password") };
    }
    await trail.failed(result.reason === "wrong_password" ? "wrong_password" : "link_invalid");
    if (result.reason === "wrong_password") {
      const wrong = "That is not the password you chose when you signed up.";
      return { status: "error", message: `${wrong} Try again, or sign up again to choose a new one.`, fieldErrors: { password: wrong } };
    }
    return { status: "error", message: EXPIRED };
  },
);
