// Every event the browser tests made the portal send to PostHog, scanned for personal data.
import { expect, postHogEvents, test } from "./support/fixtures";
import { query } from "./support/portal-db";

test("nothing personal reached PostHog: no email, name, phone, address, card data, free text or reset token", async ({ request }) => {
  const events = await postHogEvents(request);
  expect(events.length, "the browser tests sent events to PostHog").toBeGreaterThan(20);

  const people = await query<{ email: string; name: string; phone: string | null }>(`SELECT "email", "name", "phone" FROM "User" WHERE "email" IS NOT NULL`);
  const addresses = await query<{ line1: string; postalCode: string }>(`SELECT "line1", "postalCode" FROM "Address"`);
  const forbidden = [
    ...people.flatMap((p) => [p.email, p.name, p.phone]),
    ...addresses.flatMap((a) => [a.line1]),
  ].filter((value): value is string => !!value && value.length > 3);

  const problems: string[] = [];
  for (const event of events) {
    const text = JSON.stringify(event);
    if (/[^\s"@]+@[^\s"@]+\.[a-z]{2,}/i.test(text)) problems.push(`${event.event}: an email address`);
    if (/reset-password\/(?!\[token\])[A-Za-z0-9_-]{10,}/.test(text)) problems.push(`${event.event}: a password reset token`);
    if (/4242[ -]?4242|5555[ -]?5555[ -]?5555/.test(text)) problems.push(`${event.event}: a card number`);
    for (const value of forbidden) if (text.includes(value)) problems.push(`${event.event}: personal value "${value.slice(0, 3)}…"`);
  }
  expect(problems).toEqual([]);
});
