"use client";
import { signOut } from "next-auth/react";
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
        await signOut({ callbackUrl: "/signin?signedOut=1" });
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
