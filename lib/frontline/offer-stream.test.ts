// One page's offer stream, without HTTP or a database: what the page receives, and when the
// connection ends.
import { describe, expect, it, vi } from "vitest";
import { offerStream, UNREAD_MAX, type Look, type StreamedOffer } from "./offer-stream";
import type { Subscription } from "./offer-feed";
import type { HeldSession } from "@/lib/accounts/sessions";
import type { Beat } from "./offer-heartbeat";

const OFFER: StreamedOffer = { id: "offer-1", journeyType: "password_change", step: "saved", task: "Change password" };
const LATER: StreamedOffer = { id: "offer-2", journeyType: "address_change", step: "form", task: "Manage addresses" };

/** A feed holding one page, woken by hand. */
function oneFeed(refuse?: "customer" | "process") {
  const held = { wake: () => {}, subscribed: 0, closed: 0 };
  const feed = {
    subscribe: (_userId: string, wake: () => void): Subscription => {
      if (refuse) return { ok: false, full: refuse };
      held.subscribed++;
      held.wake = wake;
      return { ok: true, close: () => void held.closed++ };
    },
  };
  return { feed, held };
}

/** A heartbeat beaten by hand, holding one page. */
function oneHeartbeat() {
  const held = { beat: (() => {}) as Beat, session: null as HeldSession | null, joined: 0, left: 0 };
  const heartbeat = {
    join: (session: HeldSession, beat: Beat) => {
      held.session = session;
      held.joined++;
      held.beat = beat;
      return () => void held.left++;
    },
  };
  return { heartbeat, held };
}

/** Opens a stream whose look answers from `looks` in turn (then no offer), and reads what it sends. */
function open(looks: Look[], { refuse, reads = true }: { refuse?: "customer" | "process"; reads?: boolean } = {}) {
  const { feed, held } = oneFeed(refuse);
  const { heartbeat, held: beaten } = oneHeartbeat();
  const left = new AbortController();
  const look = vi.fn(async () => looks.shift() ?? { offer: null });
  const response = offerStream({ feed, heartbeat, userId: "customer-1", sessionId: "session-1", look, signal: left.signal });
  let text = "";
  let ended = false;
  const reading = (async () => {
    const reader = reads ? response.body?.getReader() : undefined;
    if (!reader) return;
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    ended = true;
  })();
  /** Beats the page's heartbeat `times` times, letting the page read between beats. */
  const beat = async (live: boolean, times = 1) => {
    for (let i = 0; i < times; i++) {
      beaten.beat(live);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { response, held, beaten, beat, look, leave: () => left.abort(), received: () => text, ended: () => ended, reading };
}

const offersIn = (text: string) => [...text.matchAll(/^data: (.*)$/gm)].map((line) => (JSON.parse(line[1]) as { offer: StreamedOffer }).offer.id);

describe("a page's offer stream", () => {
  it("sends the offer already waiting, then one made later when the feed wakes it, each once", async () => {
    const stream = open([{ offer: OFFER }]);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
    await vi.waitFor(() => expect(offersIn(stream.received())).toEqual(["offer-1"]));

    // Woken again with the same offer still waiting (another tab, a reconnect of the feed): not sent twice.
    stream.held.wake();
    await vi.waitFor(() => expect(stream.look).toHaveBeenCalledTimes(2));
    stream.held.wake();
    await vi.waitFor(() => expect(stream.look).toHaveBeenCalledTimes(3));
    expect(offersIn(stream.received())).toEqual(["offer-1"]);
    stream.look.mockResolvedValueOnce({ offer: LATER });
    stream.held.wake();
    await vi.waitFor(() => expect(offersIn(stream.received())).toEqual(["offer-1", "offer-2"]));
    stream.leave();
  });

  it("sends a keep-alive comment every heartbeat while nothing happens", async () => {
    const stream = open([]);
    await stream.beat(true, 3);
    await vi.waitFor(() => expect(stream.received().match(/^: keep-alive$/gm)).toHaveLength(3));
    expect(offersIn(stream.received())).toEqual([]);
    stream.leave();
  });

  it("ends, and leaves the feed and the heartbeat, when the page goes away", async () => {
    const stream = open([]);
    expect(stream.held).toMatchObject({ subscribed: 1, closed: 0 });
    expect(stream.beaten).toMatchObject({ session: { sessionId: "session-1", userId: "customer-1" }, joined: 1, left: 0 });
    stream.leave();
    await stream.reading;
    expect(stream.ended()).toBe(true);
    expect(stream.held.closed).toBe(1);
    // Nothing left to beat a closed stream.
    expect(stream.beaten.left).toBe(1);
  });

  it("ends without sending anything once the session is signed out or revoked", async () => {
    const stream = open([{ offer: null }, "signed_out"]);
    await vi.waitFor(() => expect(stream.look).toHaveBeenCalledTimes(1));
    stream.held.wake();
    await stream.reading;
    expect(offersIn(stream.received())).toEqual([]);
    expect(stream.held.closed).toBe(1);
  });

  it("ends at the next heartbeat once the session is no longer live, with no offer made, and leaves the feed and the heartbeat", async () => {
    const stream = open([]);
    await stream.beat(true);
    await vi.waitFor(() => expect(stream.received()).toContain(": keep-alive"));
    expect(stream.held.closed).toBe(0);

    await stream.beat(false);
    await stream.reading;
    expect(stream.received().match(/^: keep-alive$/gm)).toHaveLength(1);
    expect(stream.held.closed).toBe(1);
    expect(stream.beaten.left).toBe(1);
  });

  it("drops a page that stops reading, leaving the feed and the heartbeat, instead of queueing keep-alives for it without end; a page that reads keeps its stream", async () => {
    const reading = open([]);
    const unread = open([], { reads: false });
    await Promise.all([reading.beat(true, UNREAD_MAX + 1), unread.beat(true, UNREAD_MAX + 1)]);
    expect(unread.held.closed).toBe(1);
    expect(unread.beaten.left).toBe(1);
    expect(reading.held.closed).toBe(0);
    await reading.beat(true, 10);
    await vi.waitFor(() => expect(reading.received().match(/^: keep-alive$/gm)).toHaveLength(UNREAD_MAX + 11));
    reading.leave();
    await reading.reading;
  });

  it("refuses a page over a cap with 503 and when to ask again, holding nothing", async () => {
    for (const full of ["customer", "process"] as const) {
      const stream = open([], { refuse: full });
      expect(stream.response.status).toBe(503);
      expect(stream.response.headers.get("retry-after")).toBe("30");
      expect(stream.look).not.toHaveBeenCalled();
    }
  });
});
