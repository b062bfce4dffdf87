import type { Metadata } from "next";
import { ContactUs } from "@/components/contact-us";
import { formatPhone } from "@/lib/accounts/phone";
import { phoneCountryOf } from "@/lib/accounts/phone-country";
import { requireCustomer } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { STORE_TIME_ZONE, TIME_ZONES, timeZoneLabel } from "@/lib/format/date";
import { BackToAccount } from "@/app/account/_components/back-link";
import { ProfileForm } from "./profile-form";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const principal = await requireCustomer("/account/profile");
  const [user, phoneCountry] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: principal.userId }, select: { name: true, phone: true, locale: true, timeZone: true } }),
    phoneCountryOf(db(), principal.userId),
  ]);
  return (
    <div className="narrow stack">
      <BackToAccount />
      <h1>Profile</h1>
      <ProfileForm
        current={{ name: user.name, phone: user.phone ? formatPhone(user.phone) : "", locale: user.locale, timeZone: user.timeZone ?? STORE_TIME_ZONE }}
        timeZones={TIME_ZONES.map((zone) => ({ value: zone, label: timeZoneLabel(zone) }))}
        phoneRegion={phoneCountry}
      />
      <ContactUs journey="profile_update" step="form" />
    </div>
  );
}
