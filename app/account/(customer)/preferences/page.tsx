import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format/date";
import { currentPreferences } from "@/lib/privacy/consents";
import { BackToAccount } from "@/app/account/_components/back-link";
import { PreferencesForm } from "./preferences-form";

export const metadata: Metadata = { title: "Communication preferences" };

export default async function PreferencesPage() {
  const principal = await requireCustomer("/account/preferences");
  const [preferences, user] = await Promise.all([currentPreferences(db(), principal.userId), db().user.findUniqueOrThrow({ where: { id: principal.userId }, select: { phone: true } })]);
  return (
    <div className="narrow stack">
      <BackToAccount />
      <h1>Communication preferences</h1>
      <p className="muted">
        Choose how we may contact you. Emails about your account itself (a password reset, a change of sign-in email) are always sent.
        {user.phone ? null : (
          <>
            {" "}
            Text messages and calls need a phone number: <Link href="/account/profile">add one to your profile</Link>.
          </>
        )}
      </p>
      <PreferencesForm
        preferences={preferences.map((p) => ({ key: p.key, purpose: p.purpose, label: p.label, granted: p.granted, since: p.since ? formatDateTime(p.since, principal.timeZone) : null, needsPhone: !!p.needsPhone }))}
        hasPhone={!!user.phone}
      />
      <ContactUs journey="communication_preferences" step="form" />
    </div>
  );
}
