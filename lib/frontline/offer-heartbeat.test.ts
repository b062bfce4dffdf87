// The heartbeat of a process's offer streams: however many streams are open, each heartbeat asks
// PostgreSQL once which of their sessions are still live, ends the streams of a session signed out
// or expired (freeing their places under the caps) and keeps the others open. Only the ticker's
// clock is the test's; the database keeps real time.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openSession, revokeSession, seeLiveSessions, type HeldSession } from "@/lib/accounts/sessions";
import { dedicatedConnection } from "@/lib/db/client";
import { freshDatabase, type FreshDatabase } from "@/tests/support/db";
import { statementCounter } from "@/tests/support/statements";
import { OfferFeed } from "./offer-feed";
import { HEARTBEAT_MS, OfferHeartbeat } from "./offer-heartbeat";
import { offerStream } from "./offer-stream";
import { customersWithOfferWaiting } from "./offer-waiting";

let database: FreshDatabase;
let feed: OfferFeed | undefined;
let alice: string;
let bob: string;

beforeAll(async () => {
  database = await freshDatabase();
  const customer = (name: string) => database.db.user.create({ data: { name, email: `${name}-heartbeat@example.com`, role: "CUSTOMER" } });
  alice = (await customer("alice")).id;
  bob = (await customer("bob")).id;
});
afterEach(async () => {
  await feed?.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(() => database.drop());

/** How many statements about sessions some work sent. */
const countingSessionChecks = statementCounter((text) => text.includes('"AuthSession"'));

function startFeed(perCustomer: number): OfferFeed {
  feed = new OfferFeed({
    connect: () => dedicatedConnection(database.url, "offer heartbeat's feed under test"),
    waiting: (userIds) => customersWithOfferWaiting(database.db, userIds),
    perCustomer,
    perProcess: 100,
  });
  return feed;
}

async function sessionOf(userId: string): Promise<HeldSession> {
  return { sessionId: (await openSession(database.db, userId, "Mozilla/5.0")).id, userId };
}

/** A page's stream of the session, with no offer ever waiting, reading what it is sent. */
function openStream(on: { feed: OfferFeed; heartbeat: OfferHeartbeat }, session: HeldSession) {
  const left = new AbortController();
  const response = offerStream({ ...on, ...session, look: async () => ({ offer: null }), signal: left.signal });
  const page = { status: response.status, text: "", ended: false, leave: () => left.abort(), reading: Promise.resolve() };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  page.reading = (async () => {
    if (!reader) return;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) page.text += decoder.decode(chunk.value, { stream: true });
    page.ended = true;
  })();
  return page;
}

const keepAlives = (page: { text: string }) => page.text.match(/^: keep-alive$/gm)?.length ?? 0;

/** A stream stood in by what it is told at each beat. */
function beaten(heartbeat: Pick<OfferHeartbeat, "join">, sessionId: string) {
  const told: boolean[] = [];
  const leave = heartbeat.join({ sessionId, userId: "customer-1" }, (live) => void told.push(live));
  return { told, leave };
}

describe("the offer streams' heartbeat", () => {
  it("asks once per heartbeat, however many streams are open, ends the streams of a session signed out or expired, gives their places to the customer's other sessions, and keeps the others open", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const heartbeat = new OfferHeartbeat({ liveSessions: (sessions) => seeLiveSessions(database.db, sessions) });
    const on = { feed: startFeed(4), heartbeat };
    const [signedOut, alicesOther, expired, bobsOther] = [await sessionOf(alice), await sessionOf(alice), await sessionOf(bob), await sessionOf(bob)];
    const ending = [openStream(on, signedOut), openStream(on, signedOut), openStream(on, expired)];
    const staying = [openStream(on, alicesOther), openStream(on, alicesOther), openStream(on, bobsOther)];
    expect([...ending, ...staying].map((page) => page.status)).toEqual(Array(6).fill(200));
    expect(openStream(on, alicesOther).status).toBe(503);
    await vi.waitFor(() => expect(on.feed.health().reason).toBe("Listening for offers."), { timeout: 10_000 });

    await revokeSession(database.db, signedOut.sessionId);
    await database.db.authSession.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const longAgo = new Date(Date.now() - 3_600_000);
    await database.db.authSession.updateMany({ data: { lastSeenAt: longAgo } });
    const { statements } = await countingSessionChecks(async () => {
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      await Promise.all(ending.map((page) => page.reading));
      await vi.waitFor(() => expect(staying.map(keepAlives)).toEqual([1, 1, 1]));
    });
    expect(statements).toBe(1);
    expect(ending.map(keepAlives)).toEqual([0, 0, 0]);
    // The live sessions were seen with a page in view (what the live view tells agents); the ended ones were not.
    const seen = await database.db.authSession.findMany({ where: { id: { in: [signedOut, alicesOther, expired, bobsOther].map((held) => held.sessionId) } } });
    const seenNow = (held: HeldSession) => seen.find((row) => row.id === held.sessionId)!.lastSeenAt > longAgo;
    expect([signedOut, alicesOther, expired, bobsOther].map(seenNow)).toEqual([false, true, false, true]);
    expect(staying.map((page) => page.ended)).toEqual([false, false, false]);

    // Alice's signed-out tabs gave their places back: her other session may open two more.
    staying.push(openStream(on, alicesOther), openStream(on, alicesOther));
    expect(staying.map((page) => page.status)).toEqual(Array(5).fill(200));
    const next = await countingSessionChecks(async () => {
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      await vi.waitFor(() => expect(staying.map(keepAlives)).toEqual([2, 2, 2, 1, 1]));
    });
    expect(next.statements).toBe(1);

    for (const page of staying) page.leave();
    await Promise.all(staying.map((page) => page.reading));
    // The ticker stops with the last stream.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps every stream open when the database cannot say, saying so once, and asks one question at a time", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let answer: (live: string[]) => void = () => {};
    const liveSessions = vi.fn<(sessions: HeldSession[]) => Promise<string[]>>().mockRejectedValueOnce(new Error("connection refused"));
    const heartbeat = new OfferHeartbeat({ liveSessions });
    const [first, second] = [beaten(heartbeat, "session-1"), beaten(heartbeat, "session-2")];

    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect([first.told, second.told]).toEqual([[true], [true]]);
    expect(logged).toHaveBeenCalledTimes(1);

    // A database slower than a heartbeat: the ticks while it answers ask nothing more.
    liveSessions.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 3);
    expect(liveSessions).toHaveBeenCalledTimes(2);
    second.leave();
    answer(["session-2"]);
    await vi.waitFor(() => expect(first.told).toEqual([true, false]));
    // One that left while the question was asked is told nothing.
    expect(second.told).toEqual([true]);
    first.leave();
    expect(vi.getTimerCount()).toBe(0);
  });
});
