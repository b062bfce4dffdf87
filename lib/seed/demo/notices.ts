// The demo's proactive notices: every late delivery in the demo history was a "late order" decision
// (told, or held out by the same stable rule the job uses), and what each customer did next is
// simulated: a customer who hears nothing is more likely to check the order, to leave it for the
// phone or chat, and to call. The lift on /insights/help is computed from these rows like any other;
// the chances below are the simulated behaviour, not the figures it shows.
import type { Prisma } from "@/lib/generated/prisma/client";
import { noticeGroup } from "@/lib/notify/proactive";
import { browserTrailEvent } from "@/lib/trail/ingest";
import { exitEventName, stepEventName, type ExitChannel } from "@/lib/trail/journeys";
import type { TrailEventInput } from "@/lib/trail/store";
import { createRandom, deriveSeed } from "../random";

const HOUR = 3_600_000;
/** A larger hold-out than the job's default, so a small demo shop shows both groups clearly. */
export const DEMO_NOTICE_HOLDOUT_PERCENT = 30;

// How a customer whose parcel is late behaves in the following days, told or not.
const BEHAVIOUR = {
  NOTICE: { checks: 0.45, leavesForChannel: 0.15, contacts: 0.12 },
  HELD_OUT: { checks: 0.7, leavesForChannel: 0.45, contacts: 0.35 },
} as const;
const CHANNELS: readonly (readonly [ExitChannel, number])[] = [["PHONE", 5], ["CHAT", 3], ["EMAIL", 1]];

type Order = { id: string; userId: string; promisedDeliveryAt: Date; deliveredAt: Date };
type Customer = { id: string; analyticsId: string };

export type NoticeHistory = { notices: Prisma.ProactiveNoticeCreateManyInput[]; events: TrailEventInput[]; contacts: Prisma.ContactCreateManyInput[] };

export function noticeHistory(seed: number, now: Date, orders: readonly Order[], customers: ReadonlyMap<string, Customer>): NoticeHistory {
  const history: NoticeHistory = { notices: [], events: [], contacts: [] };
  for (const order of orders) {
    const customer = customers.get(order.userId);
    // The job looks an hour after the promise passed; a parcel there by then was never late to it.
    const decidedAt = new Date(order.promisedDeliveryAt.getTime() + HOUR);
    if (!customer || order.deliveredAt <= decidedAt || decidedAt > now) continue;
    const group = noticeGroup("late_order", order.id, DEMO_NOTICE_HOLDOUT_PERCENT);
    history.notices.push({ type: "late_order", orderId: order.id, userId: order.userId, group, decidedAt });
    const rng = createRandom(deriveSeed(seed, `notice:${order.id}`));
    const behaviour = BEHAVIOUR[group];
    // Within the wait: somewhere between the decision and the parcel's arrival (or a few days).
    const until = Math.min(order.deliveredAt.getTime(), decidedAt.getTime() + 3 * 24 * HOUR, now.getTime());
    const at = () => rng.dateBetween(decidedAt, new Date(Math.max(until, decidedAt.getTime() + HOUR)));
    if (rng.chance(behaviour.checks)) {
      const journeyId = rng.uuid();
      let when = at().getTime();
      const send = (event: string, properties: Record<string, string>) => {
        const sent = { event, uuid: rng.uuid(), timestamp: new Date(when).toISOString(), distinctId: customer.analyticsId, properties: { ...properties, journey_id: journeyId, $device_id: customer.analyticsId, device_class: "MOBILE" } };
        const step = browserTrailEvent(sent, { userId: customer.id, occurredAt: new Date(when), forward: null });
        if (step && step !== "invalid") history.events.push(step);
        when += rng.int(20, 90) * 1000;
      };
      send(stepEventName("order_tracking", "history", "viewed"), { step: "history" });
      send(stepEventName("order_tracking", "detail", "viewed"), { step: "detail" });
      if (rng.chance(behaviour.leavesForChannel)) send(exitEventName("order_tracking"), { step: "detail", channel: rng.weighted(CHANNELS) });
    }
    if (rng.chance(behaviour.contacts)) history.contacts.push({ userId: customer.id, channel: rng.pick(["PHONE", "CHAT", "EMAIL"] as const), reason: "order_status", createdAt: at() });
  }
  return history;
}
