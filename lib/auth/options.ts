// next-auth configuration. Credentials only; the JWT cookie carries the server-side session id
// (AuthSession), which every request checks, so sessions can be ended for real.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticate } from "@/lib/accounts/accounts";
import { signInSchema } from "@/lib/accounts/schemas";
import { revokeSession, SESSION_MAX_AGE_SECONDS } from "@/lib/accounts/sessions";
import { db } from "@/lib/db/client";
import { TooManyAttemptsError } from "./rate-limit";

/** Error codes the sign-in form turns into customer-facing messages. */
export const SIGN_IN_ERRORS = { invalid: "CredentialsSignin", rateLimited: "rate_limited" } as const;

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? value[0] ?? null : value ?? null;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // jwt.maxAge does not follow session.maxAge (it would stay 30 days): set both.
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const headers = request?.headers as HeaderBag;
        const ip = header(headers, "x-forwarded-for")?.split(",")[0]?.trim() || header(headers, "x-real-ip") || "local";
        try {
          const result = await authenticate(db(), parsed.data.email, parsed.data.password, { ip, userAgent: header(headers, "user-agent") });
          if (!result) return null;
          return { id: result.user.id, sessionId: result.session.id, role: result.user.role };
        } catch (e) {
          if (e instanceof TooManyAttemptsError) throw new Error(SIGN_IN_ERRORS.rateLimited);
          throw e;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id: string; sessionId: string; role: string };
        token.sid = signedIn.sessionId;
        token.role = signedIn.role;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, sessionId: token.sid, role: token.role };
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(db(), token.sid);
    },
  },
};
