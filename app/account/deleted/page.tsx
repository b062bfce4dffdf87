import type { Metadata } from "next";
import Link from "@/components/link";

export const metadata: Metadata = { title: "Account deleted" };

// Shown after an account deletion, signed out: nothing here depends on who is asking.
export default function AccountDeletedPage() {
  return (
    <div className="narrow stack">
      <h1>Your account is deleted</h1>
      <p>Your personal details are gone and you are signed out on every device. Orders you placed stay in our books without your name.</p>
      <p className="muted">Thank you for shopping with Waymark. You are welcome back any time with a new account.</p>
      <p>
        <Link href="/" className="button secondary">Go to the home page</Link>
      </p>
    </div>
  );
}
