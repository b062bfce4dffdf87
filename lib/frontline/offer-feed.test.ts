// The offer feed against a real PostgreSQL: an agent's offer (offerHelp's NOTIFY) wakes exactly
// that customer's open pages, the caps hold, and a dropped LISTEN connection comes back and wakes
// the pages of those customers who were offered help meanwhile, asking which in one query.
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { dedicatedConnection } from "@/lib/db/client";
import { recordStep, type TrailActor } from "@/lib/trail/server";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { statementCounter } from "@/tests/support/statements";
import { announceOffer, OfferFeed, offerFeed } from "./offer-feed";
import { customersWithOfferWaiting } from "./offer-waiting";
import { offerHelp } from "./reach-out";

const FEED_NAME = "offer feed under test";

let database: FreshDatabase;
let alice: string;
let bob: string;
let agentId: string;
let feed: OfferFeed | undefined;
/** While true, the feed's next connections go to a port nothing listens on: the database is unreachable. */
let unreachable = false;

beforeAll(async () => {
  database = await freshDatabase();
  const customer = (name: string) => database.db.user.create({ data: { name, email: `${name}@example.com`, role: "CUSTOMER" } });
  alice = (await customer("alice")).id;
  bob = (await customer("bob")).id;
  agentId = (await database.db.user.create({ data: { name: "Agent", email: "agent-feed@example.com", role: "AGENT" } })).id;
});
afterEach(async () => {
  await feed?.stop();
  unreachable = false;
  vi.unstubAllEnvs();
});
afterAll(() => database.drop());

function startFeed(limits = { perCustomer: 8, perProcess: 100 }): OfferFeed {
  feed = new OfferFeed({
    ...limits,
    retryMs: 20,
    waiting: (userIds) => customersWithOfferWaiting(database.db, userIds),
    connect: () => {
      const url = new URL(database.url);
      if (unreachable) url.port = "1";
      return dedicatedConnection(url.toString(), FEED_NAME);
    },
  });
  return feed;
}

/** A page that counts how often it was woken. */
function page(on: OfferFeed, userId: string) {
  const counted = { wakes: 0, subscription: on.subscribe(userId, () => counted.wakes++) };
  return counted;
}

async function listening(on: OfferFeed) {
  await vi.waitFor(() => expect(on.health()).toEqual({ state: "ok", reason: "Listening for offers." }), { timeout: 10_000 });
}

/** How many statements about offers some work sent. */
const countingOfferStatements = statementCounter((text) => text.includes('"ReachOut"'));

async function feedConnections(): Promise<number> {
  const [row] = await database.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${FEED_NAME}`;
  return row.n;
}

/** An attempt in progress for the customer, as the live view shows it to an agent. */
async function stuckAttempt(userId: string): Promise<string> {
  const journeyId = crypto.randomUUID();
  const actor: TrailActor = { userId, distinctId: userId, anonymousId: null, deviceClass: "DESKTOP", consent: false };
  await recordStep(database.db, actor, { journeyId, type: "password_change", step: "form", action: "viewed" });
  return journeyId;
}

describe("the offer feed", () => {
  it("listens only once a page subscribes, then wakes every open page of the customer an agent offers help to, and no one else's", async () => {
    const on = startFeed();
    expect(on.health().state).toBe("ok");
    expect(await feedConnections()).toBe(0);

    const [tab, otherTab, bobsTab] = [page(on, alice), page(on, alice), page(on, bob)];
    await listening(on);
    expect(await feedConnections()).toBe(1);
    // Nobody has an offer waiting yet: starting to listen wakes no one.
    expect([tab.wakes, otherTab.wakes, bobsTab.wakes]).toEqual([0, 0, 0]);

    expect((await offerHelp(database.db, agentId, await stuckAttempt(alice))).ok).toBe(true);
    await vi.waitFor(() => expect([tab.wakes, otherTab.wakes]).toEqual([1, 1]));
    expect(bobsTab.wakes).toBe(0);
  });

  it("wakes no one for an offer whose transaction was rolled back", async () => {
    const on = startFeed();
    const [alicesTab, bobsTab] = [page(on, alice), page(on, bob)];
    await listening(on);
    await expect(
      database.db.$transaction(async (tx) => {
        await announceOffer(tx, alice);
        throw new Error("the offer failed after it was announced");
      }),
    ).rejects.toThrow("the offer failed");
    const alicesBefore = alicesTab.wakes;
    await announceOffer(database.db, bob);
    // Notifications arrive in commit order on the one connection: Bob's came, Alice's never will.
    await vi.waitFor(() => expect(bobsTab.wakes).toBe(1));
    expect(alicesTab.wakes).toBe(alicesBefore);
  });

  it("refuses a page over the customer's cap or the process's, and frees the place when a page closes", async () => {
    const on = startFeed({ perCustomer: 2, perProcess: 3 });
    const [first, second] = [page(on, alice), page(on, alice)];
    expect(page(on, alice).subscription).toEqual({ ok: false, full: "customer" });
    page(on, bob);
    const carol = crypto.randomUUID();
    expect(page(on, carol).subscription).toEqual({ ok: false, full: "process" });

    if (!first.subscription.ok) throw new Error("the first page was refused");
    first.subscription.close();
    first.subscription.close(); // closing twice frees one place only
    expect(page(on, carol).subscription.ok).toBe(true);
    expect(page(on, alice).subscription).toEqual({ ok: false, full: "process" });

    await listening(on);
    const wakesBefore = [first.wakes, second.wakes];
    await announceOffer(database.db, alice);
    await vi.waitFor(() => expect(second.wakes).toBe(wakesBefore[1] + 1));
    expect(first.wakes).toBe(wakesBefore[0]);
  });

  it("says it is down while its connection is lost, listens again when the database is back, and wakes, after one query for every page, the pages of those offered help meanwhile", async () => {
    const carol = (await database.db.user.create({ data: { name: "carol", email: "carol@example.com", role: "CUSTOMER" } })).id;
    const on = startFeed();
    const [bobsTab, bobsOtherTab, carolsTab] = [page(on, bob), page(on, bob), page(on, carol)];
    await listening(on);
    const before = [bobsTab.wakes, bobsOtherTab.wakes, carolsTab.wakes];

    unreachable = true;
    await database.db.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${FEED_NAME}`;
    await vi.waitFor(() => expect(on.health().state).toBe("down"));
    await offerHelp(database.db, agentId, await stuckAttempt(carol));
    expect(on.health().state).toBe("down");
    expect(carolsTab.wakes).toBe(before[2]);

    const { statements } = await countingOfferStatements(async () => {
      unreachable = false;
      await listening(on);
    });
    // One question for the three pages: Carol was offered help while nobody listened, and only her
    // page is woken to look (each look costs a page two queries of its own).
    expect(statements).toBe(1);
    expect(carolsTab.wakes).toBe(before[2] + 1);
    expect([bobsTab.wakes, bobsOtherTab.wakes]).toEqual([before[0], before[1]]);
    expect(await feedConnections()).toBe(1);
    await announceOffer(database.db, bob);
    await vi.waitFor(() => expect([bobsTab.wakes, bobsOtherTab.wakes]).toEqual([before[0] + 1, before[1] + 1]));
  });

  it("listens through DATABASE_LISTEN_URL when it is set, for a DATABASE_URL behind a pooler that carries no notifications", async () => {
    const pooler = new URL(database.url);
    pooler.port = "1";
    vi.stubEnv("DATABASE_URL", pooler.toString());
    vi.stubEnv("DATABASE_LISTEN_URL", database.url);
    feed = offerFeed();
    page(feed, alice);
    await listening(feed);
  });
});
