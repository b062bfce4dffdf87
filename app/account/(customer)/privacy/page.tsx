import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { JourneyStep } from "@/components/journey";
import { requireCustomer } from "@/lib/auth/principal";
import { BackToAccount } from "@/app/account/_components/back-link";
import { ExportForm } from "./export-form";

export const metadata: Metadata = { title: "Privacy" };

export default async function PrivacyPage({ searchParams }: { searchParams: Promise<{ export?: string }> }) {
  await requireCustomer("/account/privacy");
  const expired = (await searchParams).export === "expired";
  return (
    <div className="narrow stack">
      <JourneyStep type="data_export" step="privacy" />
      <BackToAccount />
      <h1>Privacy</h1>
      <section className="card stack" aria-labelledby="export-heading">
        <h2 id="export-heading">Download your data</h2>
        <p>
          One file with everything Waymark holds about you: your profile, addresses, communication choices, orders, returns, store credit, contacts with our team, the devices you
          signed in from, and your own trail of the tasks you did here. It is a JSON file, which spreadsheet and developer tools can read.
        </p>
        {expired ? (
          <p className="notice warn" role="status">
            That download link has expired. Prepare a new file below.
          </p>
        ) : null}
        <ExportForm />
      </section>
      <section className="card stack" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>We remove your personal details and sign you out everywhere. Orders stay in our books, as the law requires, without your name or account.</p>
        <p>
          <Link href="/account/privacy/delete" className="button secondary">Delete my account…</Link>
        </p>
      </section>
      <ContactUs journey="data_export" step="privacy" />
    </div>
  );
}
