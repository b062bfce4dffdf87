import type { Metadata } from "next";
import Link from "@/components/link";
import { ContactUs } from "@/components/contact-us";
import { formatPhone } from "@/lib/accounts/phone";
import { LOCALES, type Locale } from "@/lib/accounts/schemas";
import { listLiveSessions } from "@/lib/accounts/sessions";
import { countryName } from "@/lib/addresses/countries";
import { listAddresses } from "@/lib/addresses/addresses";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { countOf } from "@/lib/format/plural";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const principal = await requireCustomer("/account");
  const [user, addresses, sessions] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: principal.userId }, select: { name: true, email: true, phone: true, locale: true } }),
    listAddresses(db(), principal.userId),
    listLiveSessions(db(), principal.userId),
  ]);
  const shipping = addresses.find((a) => a.isDefaultShipping);
  const tasks = [
    { href: "/account/profile", title: "Profile", summary: `${user.name} · ${user.phone ? formatPhone(user.phone) : "no phone number"} · ${LOCALES[user.locale as Locale] ?? user.locale}` },
    { href: "/account/email", title: "Sign-in email", summary: user.email ?? "" },
    { href: "/account/password", title: "Password", summary: "Change it; every other device is signed out." },
    {
      href: "/account/addresses",
      title: "Addresses",
      summary: addresses.length === 0 ? "No saved addresses yet." : `${addresses.length} saved${shipping ? ` · deliveries go to ${shipping.city}, ${countryName(shipping.country)}` : ""}`,
    },
    { href: "/account/preferences", title: "Communication preferences", summary: "How we may contact you about orders and offers." },
    { href: "/account/payment-methods", title: "Payment methods", summary: "Your saved cards." },
    { href: "/account/sessions", title: "Signed-in devices", summary: `${countOf(sessions.length, "device")} signed in.` },
    { href: "/account/privacy", title: "Privacy", summary: "Download your data or delete your account." },
  ];

  return (
    <div className="stack">
      <h1>Your account</h1>
      <ul className="grid list-plain" aria-label="Account tasks">
        {tasks.map((task) => (
          <li key={task.href} className="card account-task">
            <h2>
              <Link href={task.href}>{task.title}</Link>
            </h2>
            <p className="muted">{task.summary}</p>
          </li>
        ))}
      </ul>
      <ContactUs />
    </div>
  );
}
