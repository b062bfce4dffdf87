// next-auth configuration. Credentials only; the JWT cookie carries the server-side session id
// (AuthSession), which every request checks, so sessions can be ended for real.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticate } from "@/lib/accounts/accounts";
import { signInSchema } from "@/lib/accounts/schemas";
import { findLiveSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "@/lib/accounts/sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { clientAddress, readHeader, type HeaderSource } from "@/lib/http/client-address";
import { cookieFromHeader } from "@/lib/http/cookie-header";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { analyticsDecisionFromCookies } from "@/lib/privacy/analytics-consent";
import { KNOWN_DEVICE_COOKIE, knownDeviceId } from "./known-device";
import { SIGN_IN_ERRORS } from "./sign-in-errors";

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
        const headers = request?.headers as HeaderSource;
        const cookieHeader = readHeader(headers, "cookie") ?? null;
        const secret = env().NEXTAUTH_SECRET;
        const result = await authenticate(db(), parsed.data.email, parsed.data.password, {
          clientAddress: clientAddress(headers),
          userAgent: readHeader(headers, "user-agent") ?? null,
          analyticsChoice: analyticsDecisionFromCookies(cookieHeader),
          knownDeviceId: secret ? knownDeviceId(secret, cookieFromHeader(cookieHeader, KNOWN_DEVICE_COOKIE), parsed.data.email) : null,
        });
        if (result.ok) return { id: result.user.id, sessionId: result.session.id, role: result.user.role };
        // next-auth hands a thrown error's message to the sign-in page as `error`.
        if (result.reason === "throttled") throw new Error(`${SIGN_IN_ERRORS.rateLimitedPrefix}${result.retryAfterSeconds}`);
        return null;
      },
    }),
  ],
  callbacks: {
    // Where next-auth sends the browser after signing in or out: only a path on this site.
    async redirect({ url, baseUrl }) {
      return `${baseUrl}${safeRedirectPath(url, baseUrl)}`;
    },
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id: string; sessionId: string; role: string };
        token.sid = signedIn.sessionId;
        token.role = signedIn.role;
      }
      return token;
    },
    // Answers /api/auth/session (the portal's own pages never read it: each request checks its
    // session in lib/auth/principal.ts). A session signed out, ended elsewhere or expired is no
    // session there either: the cookie's token still decodes, and next-auth's client reads an
    // empty answer as signed out.
    async session({ session, token }) {
      const live = typeof token.sid === "string" ? await findLiveSession(db(), token.sid) : null;
      if (!live) return {} as typeof session;
      return { ...session, sessionId: token.sid, role: token.role };
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(db(), token.sid);
    },
  },
};
