// How an agent's offer of help reaches the customer's open pages at once, on whichever web process
// they are connected to. Making an offer sends a PostgreSQL NOTIFY on the `reach_out` channel with
// the customer's id (announceOffer, delivered when the offer's transaction commits); each web
// process holds one connection of its own that LISTENs (opened when its first customer page
// subscribes) and wakes that customer's pages held here in memory. A page woken looks for the offer
// itself (lib/frontline/offer-stream.ts): the notification carries no more than who to wake. Each
// time it starts listening (again) it asks once which of its customers have an offer waiting, one
// made while nobody listened, and wakes only their pages: a look costs each page two queries.
import type pg from "pg";
import { env } from "@/lib/config/env";
import { db, dedicatedConnection, type Db } from "@/lib/db/client";
import { customersWithOfferWaiting } from "@/lib/frontline/offer-waiting";
import type { HealthState } from "@/lib/integrations/health";

export const REACH_OUT_CHANNEL = "reach_out";

/** Tells every web process that this customer has an offer waiting; inside a transaction, once it commits. */
export async function announceOffer(db: Pick<Db, "$executeRaw">, userId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${REACH_OUT_CHANNEL}, ${userId})`;
}

export type Subscription = { ok: true; close(): void } | { ok: false; full: "customer" | "process" };

type FeedOptions = {
  /** A new, unconnected client for the LISTEN (one at a time; another after a drop). */
  connect: () => pg.Client;
  /** Those of the customers given with an offer waiting (one query, however many they are). */
  waiting: (userIds: string[]) => Promise<string[]>;
  /** Open pages one customer may hold: more are refused, so one account cannot hold unbounded connections. */
  perCustomer: number;
  /** Open pages this process holds at most, whoever they belong to. */
  perProcess: number;
  /** The first wait before listening again after a failure; doubled after each failure in a row, up to MAX_RETRY_MS. */
  retryMs?: number;
};

const MAX_RETRY_MS = 30_000;
const NOT_STARTED = { state: "ok", reason: "No customer page has asked for offers yet." } as const;

type Page = { wake: () => void };

export class OfferFeed {
  private readonly pages = new Map<string, Set<Page>>();
  private open = 0;
  private connection: pg.Client | null = null;
  private listening = false;
  private started = false;
  private stopped = false;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: FeedOptions) {}

  /**
   * Holds `wake` until close(): it is called whenever an offer may be waiting for this customer,
   * including each time the feed starts listening (again) and finds one waiting for them, since an
   * offer made while it was not listening was heard by no one. Refused over either cap.
   */
  subscribe(userId: string, wake: () => void): Subscription {
    if (this.open >= this.options.perProcess) return { ok: false, full: "process" };
    const own = this.pages.get(userId) ?? new Set<Page>();
    if (own.size >= this.options.perCustomer) return { ok: false, full: "customer" };
    const page: Page = { wake };
    own.add(page);
    this.pages.set(userId, own);
    this.open++;
    if (!this.started) {
      this.started = true;
      void this.listen();
    }
    let closed = false;
    return {
      ok: true,
      close: () => {
        if (closed) return;
        closed = true;
        own.delete(page);
        if (own.size === 0) this.pages.delete(userId);
        this.open--;
      },
    };
  }

  /** For /api/health: never "ok" while pages wait on a connection that is not listening. */
  health(): { state: HealthState; reason: string } {
    if (!this.started) return NOT_STARTED;
    if (this.listening) return { state: "ok", reason: "Listening for offers." };
    return { state: "down", reason: "Not listening for offers: reconnecting to the database; pages will look for offers once it is back." };
  }

  /** Stops listening for good and lets its connection go (a test's feed, before its database is dropped). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const connection = this.connection;
    this.connection = null;
    this.listening = false;
    await connection?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const connection = this.options.connect();
    this.connection = connection;
    connection.on("notification", (message) => {
      if (message.channel === REACH_OUT_CHANNEL && message.payload) this.wake(this.pages.get(message.payload));
    });
    // A connection that fails says so by "error", "end" or both: whichever comes first counts.
    connection.on("error", () => this.dropped(connection));
    connection.on("end", () => this.dropped(connection));
    try {
      await connection.connect();
      await connection.query(`LISTEN ${REACH_OUT_CHANNEL}`);
    } catch (error) {
      console.warn(`[waymark] could not listen for offers of help: ${error instanceof Error ? error.message : String(error)}`);
      this.dropped(connection);
      return;
    }
    const missed = await this.customersWithOfferWaiting();
    if (this.connection !== connection) return;
    if (this.failures > 0) console.warn("[waymark] listening for offers of help again; open pages with an offer made meanwhile are sent it");
    this.listening = true;
    this.failures = 0;
    for (const userId of missed) this.wake(this.pages.get(userId));
  }

  /** Asked once the LISTEN is in place, so an offer made since is both found here and notified. */
  private async customersWithOfferWaiting(): Promise<string[]> {
    const userIds = [...this.pages.keys()];
    if (userIds.length === 0) return [];
    try {
      return await this.options.waiting(userIds);
    } catch (error) {
      // Cannot tell who missed one: every page looks for itself.
      console.warn(`[waymark] could not ask which customers have an offer of help waiting: ${error instanceof Error ? error.message : String(error)}`);
      return userIds;
    }
  }

  private dropped(connection: pg.Client): void {
    if (this.connection !== connection) return;
    if (this.listening) console.warn("[waymark] lost the connection listening for offers of help; listening again");
    this.connection = null;
    this.listening = false;
    connection.end().catch(() => undefined);
    if (this.stopped) return;
    const wait = Math.min(MAX_RETRY_MS, (this.options.retryMs ?? 1000) * 2 ** this.failures++);
    this.retry = setTimeout(() => void this.listen(), wait);
  }

  private wake(own: Set<Page> | undefined): void {
    // A copy: a page may close while it is woken.
    for (const page of [...(own ?? [])]) page.wake();
  }
}

const cache = globalThis as unknown as { waymarkOfferFeed?: OfferFeed };

/** The process's feed (on globalThis: the HTTP front and Next's bundle each load this module). */
export function offerFeed(): OfferFeed {
  if (cache.waymarkOfferFeed) return cache.waymarkOfferFeed;
  const config = env();
  const url = config.DATABASE_LISTEN_URL ?? config.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Waymark with `npm start`, which provides it.");
  cache.waymarkOfferFeed = new OfferFeed({
    connect: () => dedicatedConnection(url, "waymark offer feed"),
    waiting: (userIds) => customersWithOfferWaiting(db(), userIds),
    perCustomer: config.REACH_OUT_STREAMS_PER_CUSTOMER,
    perProcess: config.REACH_OUT_STREAMS_PER_PROCESS,
  });
  return cache.waymarkOfferFeed;
}

/** The feed's health without starting it: a process no customer page has reached listens to nothing yet. */
export function offerFeedHealth(): { state: HealthState; reason: string } {
  return cache.waymarkOfferFeed?.health() ?? NOT_STARTED;
}
