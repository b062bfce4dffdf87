// The heartbeat of a web process's offer streams (./offer-stream.ts): one ticker for all of them,
// which every HEARTBEAT_MS asks in one query which of their sessions are still live, then beats
// each stream, a keep-alive for a live session's and the end for one signed out, revoked or
// expired (freeing its place under the caps). Each stream asking for its own session cost a query
// per stream per heartbeat: 200 a second at the cap of 5,000 streams.
import { seeLiveSessions, type HeldSession } from "@/lib/accounts/sessions";
import { db } from "@/lib/db/client";

export const HEARTBEAT_MS = 25_000;

/** Told at each heartbeat whether the stream's session is still live (also when the database cannot say: it is asked again at the next). */
export type Beat = (live: boolean) => void;

type HeartbeatOptions = {
  /** The ids of those of the sessions given that are still live (one query, however many they are). */
  liveSessions: (sessions: HeldSession[]) => Promise<string[]>;
};

type Member = { session: HeldSession; beat: Beat };

export class OfferHeartbeat {
  private readonly members = new Set<Member>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private asking = false;

  constructor(private readonly options: HeartbeatOptions) {}

  /** Beats `beat` at every heartbeat until the leave it returns is called; the ticker runs only while a stream has joined. */
  join(session: HeldSession, beat: Beat): () => void {
    const member: Member = { session, beat };
    this.members.add(member);
    this.ticker ??= setInterval(() => void this.tick(), HEARTBEAT_MS);
    return () => {
      this.members.delete(member);
      if (this.members.size > 0) return;
      clearInterval(this.ticker);
      this.ticker = undefined;
    };
  }

  private async tick(): Promise<void> {
    // One question at a time: while the last is unanswered (a database slower than a heartbeat),
    // a tick asks nothing more, and the streams it was asked for are beaten once it is answered.
    if (this.asking) return;
    this.asking = true;
    const members = [...this.members];
    const sessions = new Map(members.map(({ session }) => [session.sessionId, session]));
    let live: Set<string> | null = null;
    try {
      live = new Set(await this.options.liveSessions([...sessions.values()]));
    } catch (error) {
      console.error("[waymark] checking the offer streams' sessions failed", error);
    } finally {
      this.asking = false;
    }
    // A stream that left while the question was asked is not beaten.
    for (const member of members) if (this.members.has(member)) member.beat(live?.has(member.session.sessionId) ?? true);
  }
}

const cache = globalThis as unknown as { waymarkOfferHeartbeat?: OfferHeartbeat };

/** The process's heartbeat (on globalThis: the HTTP front and Next's bundle each load this module). */
export function offerHeartbeat(): OfferHeartbeat {
  cache.waymarkOfferHeartbeat ??= new OfferHeartbeat({ liveSessions: (sessions) => seeLiveSessions(db(), sessions) });
  return cache.waymarkOfferHeartbeat;
}
