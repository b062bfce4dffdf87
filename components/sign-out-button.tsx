"use client";
import { useState } from "react";
import { resetAnalyticsIdentity } from "@/lib/trail/browser";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button secondary"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        resetAnalyticsIdentity();
        // next-auth's client is fetched when it is needed, not with every page.
        const { signOut } = await import("next-auth/react");
        await signOut({ callbackUrl: "/signin?signedOut=1" });
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
