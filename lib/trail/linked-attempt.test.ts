// A password reset or an email change finished from its emailed link in another browser is one
// attempt in the funnel, the one that asked for the link; nobody joins it by naming its id.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD_RESET_TOPIC, requestPasswordReset, resetPassword, sendPasswordResetLinks, usableResetLink } from "@/lib/accounts/accounts";
import { confirmEmailChange, requestEmailChange, usableEmailChange } from "@/lib/accounts/profile";
import { deliverDue } from "@/lib/outbox/outbox";
import { createCustomer, trailFor } from "@/lib/privacy/test-fixtures";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { closeIdleJourneys } from "./abandon";
import { attemptForLink, handOverAttempt, ownerOfAttempt, recordLinkFollowed } from "./linked-attempt";
import { recordStep, serverStepEvent, type TrailActor } from "./server";
import { storeTrailEvents } from "./store";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const BASE_URL = "http://portal.test";

/** A signed-out browser: its device and nothing else. */
function device(): TrailActor {
  const id = crypto.randomUUID();
  return { userId: null, distinctId: id, anonymousId: id, deviceClass: "MOBILE", consent: true };
}

/** A page view sent by a browser, as /ingest stores it; answers whether the attempt took it. */
async function viewed(actor: TrailActor, journeyId: string, type: "password_reset" | "email_change", step: string): Promise<boolean> {
  const result = await storeTrailEvents(database.db, [{ ...serverStepEvent(actor, { journeyId, type, step, action: "viewed" }), source: "BROWSER" }]);
  return result.refused === 0;
}

async function attempt(journeyId: string) {
  const journey = await database.db.journey.findUniqueOrThrow({ where: { id: journeyId }, include: { events: { orderBy: { occurredAt: "asc" } } } });
  return { outcome: journey.outcome, steps: journey.events.map((e) => `${e.step}:${e.kind}`) };
}

function tokenIn(text: string, path: string): string {
  const match = new RegExp(`${path}/([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[1];
}

describe("a password reset finished from its emailed link in another browser", () => {
  it("reaches the email step when the link is followed in a browser whose visitor has not accepted analytics (it sends nothing itself)", async () => {
    const customer = await createCustomer(database.db);
    const asking = device();
    const journeyId = crypto.randomUUID();
    expect(await viewed(asking, journeyId, "password_reset", "request")).toBe(true);
    await requestPasswordReset(database.db, customer.email!, BASE_URL, "192.0.2.11", await attemptForLink(database.db, asking, journeyId));
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    const mail = await database.db.emailMessage.findFirstOrThrow({ where: { to: customer.email! } });
    const token = tokenIn(mail.text, "/reset-password");

    // No device id, no consent: nothing is handed over, and its page records nothing.
    const unmeasured: TrailActor = { userId: null, distinctId: "anonymous", anonymousId: null, deviceClass: "MOBILE", consent: false };
    const link = await usableResetLink(database.db, token);
    await recordLinkFollowed(database.db, unmeasured, link!, "email");
    await recordLinkFollowed(database.db, unmeasured, link!, "email");
    expect(await resetPassword(database.db, token, "a-new-password-unmeasured")).toEqual({ ok: true, journeyId });
    const owner = await ownerOfAttempt(database.db, unmeasured, journeyId);
    await database.db.$transaction((tx) => recordStep(tx, owner, { journeyId, type: "password_reset", step: "new_password", action: "completed" }));

    expect(await attempt(journeyId)).toEqual({ outcome: "COMPLETED", steps: ["request:VIEWED", "email:VIEWED", "new_password:VIEWED", "new_password:COMPLETED"] });
  });

  it("completes the attempt that asked, every step reached, and nobody else can join it", async () => {
    const customer = await createCustomer(database.db);
    const asking = device();
    const journeyId = crypto.randomUUID();
    expect(await viewed(asking, journeyId, "password_reset", "request")).toBe(true);
    await database.db.$transaction((tx) => recordStep(tx, asking, { journeyId, type: "password_reset", step: "request", action: "completed" }));

    await requestPasswordReset(database.db, customer.email!, BASE_URL, "192.0.2.10", await attemptForLink(database.db, asking, journeyId));
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));
    const mail = await database.db.emailMessage.findFirstOrThrow({ where: { to: customer.email! } });
    const token = tokenIn(mail.text, "/reset-password");

    // The mail app opens the link in another browser: before the link hands the attempt over, its
    // views naming the attempt are refused like anyone's.
    const opening = device();
    expect(await viewed(opening, journeyId, "password_reset", "email")).toBe(false);
    const link = await usableResetLink(database.db, token);
    expect(link).toEqual({ type: "password_reset", userId: customer.id, journeyId });
    await handOverAttempt(database.db, { type: "password_reset", journeyId }, opening.anonymousId!);
    expect(await viewed(opening, journeyId, "password_reset", "email")).toBe(true);
    expect(await viewed(opening, journeyId, "password_reset", "new_password")).toBe(true);

    const reset = await resetPassword(database.db, token, "a-new-password-from-the-link");
    expect(reset).toEqual({ ok: true, journeyId });
    // The submit is recorded as the attempt's owner, even from a browser without a device id.
    const withoutDevice: TrailActor = { userId: null, distinctId: "anonymous", anonymousId: null, deviceClass: "MOBILE", consent: false };
    const owner = await ownerOfAttempt(database.db, withoutDevice, journeyId);
    await database.db.$transaction((tx) => recordStep(tx, owner, { journeyId, type: "password_reset", step: "new_password", action: "completed" }));

    expect(await attempt(journeyId)).toEqual({
      outcome: "COMPLETED",
      steps: ["request:VIEWED", "request:COMPLETED", "email:VIEWED", "new_password:VIEWED", "new_password:COMPLETED"],
    });
  });

  it("keeps with the link only an attempt of the one asking: a forged id hands nothing over", async () => {
    const victim = device();
    const journeyId = crypto.randomUUID();
    expect(await viewed(victim, journeyId, "password_reset", "request")).toBe(true);
    expect(await attemptForLink(database.db, device(), journeyId)).toBeNull();
    expect(await attemptForLink(database.db, victim, journeyId)).toBe(journeyId);
  });
});

describe("an email change confirmed from its emailed link", () => {
  async function requested() {
    const customer = await createCustomer(database.db, "Linda Link");
    const trail = trailFor(customer);
    const newEmail = `linked-${customer.id}@example.com`;
    expect(await requestEmailChange(database.db, customer.id, newEmail, BASE_URL, trail)).toEqual({ ok: true });
    const mail = await database.db.emailMessage.findFirstOrThrow({ where: { to: newEmail } });
    return { customer, trail, newEmail, token: tokenIn(mail.text, "/account/confirm-email") };
  }

  it("is done in the attempt that asked, from a signed-out browser whose own id is another", async () => {
    const { customer, trail, newEmail, token } = await requested();
    expect(await usableEmailChange(database.db, token)).toEqual({ type: "email_change", userId: customer.id, journeyId: trail.journeyId, newEmail });
    const opening = device();
    await handOverAttempt(database.db, { type: "email_change", journeyId: trail.journeyId }, opening.anonymousId!);
    expect(await viewed(opening, trail.journeyId, "email_change", "confirmed")).toBe(true);

    expect(await confirmEmailChange(database.db, token, { actor: opening, journeyId: crypto.randomUUID() })).toEqual({ ok: true, newEmail });
    expect(await attempt(trail.journeyId)).toEqual({ outcome: "COMPLETED", steps: ["requested:VIEWED", "requested:COMPLETED", "confirmed:VIEWED", "confirmed:COMPLETED"] });
  });

  it("is refused while another customer is signed in, and changes nothing", async () => {
    const { customer, trail, token } = await requested();
    const someoneElse = await createCustomer(database.db, "Otto Other");
    expect(await confirmEmailChange(database.db, token, trailFor(someoneElse))).toEqual({ ok: false, reason: "another_account" });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: customer.id } })).email).toBe(customer.email);
    expect(await usableEmailChange(database.db, token)).not.toBeNull();
    expect((await attempt(trail.journeyId)).outcome).toBe("IN_PROGRESS");
  });
});

describe("an attempt waiting on its emailed link", () => {
  const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

  it("is not closed as idle while the link can be used: an email change confirmed two hours after asking is one completed attempt", async () => {
    const customer = await createCustomer(database.db, "Wendy Wait");
    const trail = trailFor(customer);
    const newEmail = `waiting-${customer.id}@example.com`;
    expect(await requestEmailChange(database.db, customer.id, newEmail, BASE_URL, trail)).toEqual({ ok: true });
    const token = tokenIn((await database.db.emailMessage.findFirstOrThrow({ where: { to: newEmail } })).text, "/account/confirm-email");

    await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: false, now: minutesFromNow(120), userId: customer.id });
    expect((await attempt(trail.journeyId)).outcome).toBe("IN_PROGRESS");

    expect(await confirmEmailChange(database.db, token, trail)).toEqual({ ok: true, newEmail });
    expect(await attempt(trail.journeyId)).toEqual({ outcome: "COMPLETED", steps: ["requested:VIEWED", "requested:COMPLETED", "confirmed:VIEWED", "confirmed:COMPLETED"] });
  });

  it("is closed once its link has expired unused: a reset link never followed ends the attempt after its hour", async () => {
    const customer = await createCustomer(database.db);
    const asking = device();
    const journeyId = crypto.randomUUID();
    expect(await viewed(asking, journeyId, "password_reset", "request")).toBe(true);
    await requestPasswordReset(database.db, customer.email!, BASE_URL, "192.0.2.12", await attemptForLink(database.db, asking, journeyId));
    await deliverDue(database.db, PASSWORD_RESET_TOPIC, (rows) => sendPasswordResetLinks(database.db, rows));

    await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: false, now: minutesFromNow(45) });
    expect((await attempt(journeyId)).outcome).toBe("IN_PROGRESS");
    await closeIdleJourneys(database.db, { idleMinutes: 30, forwarding: false, now: minutesFromNow(61) });
    expect((await attempt(journeyId)).outcome).toBe("ABANDONED");
  });
});
