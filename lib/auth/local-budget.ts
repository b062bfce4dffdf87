// A per-client request budget kept in this process's memory, for an anonymous endpoint that is
// called far more often than the sign-in forms (/ingest: every open tab, every few seconds).
// The PostgreSQL budgets (rate-limit.ts) cost a committed write per request, all of a busy client's
// requests on one row; here a spend is a map lookup. The price: each web replica counts on its own,
// so behind N replicas a client gets up to N times the budget (the README says so). Framework-free.
import type { SpendResult } from "./rate-limit";

export type LocalBudget = { points: number; durationSeconds: number; /** Clients tracked at once; see spendLocal. */ maxClients?: number };

type Window = { used: number; resetsAt: number };

/** Enough for every client of a busy replica within one window; beyond it, see below. */
const DEFAULT_MAX_CLIENTS = 100_000;
// Where clients beyond maxClients are counted, together: a flood of new addresses (an IPv6 range)
// can neither grow the map without bound nor escape the limit.
const OVERFLOW = "\0overflow";

/**
 * Fixed windows per client key: `points` requests per `durationSeconds`, then refused until the
 * window ends (retryAfterSeconds). `now` is injectable for tests.
 */
export function localBudget(budget: LocalBudget, now: () => number = Date.now): (key: string) => SpendResult {
  const windows = new Map<string, Window>();
  const maxClients = budget.maxClients ?? DEFAULT_MAX_CLIENTS;
  const durationMs = budget.durationSeconds * 1000;

  function windowOf(key: string, at: number): Window {
    let window = windows.get(key);
    if (window && window.resetsAt > at) return window;
    if (!window && windows.size >= maxClients) {
      for (const [known, w] of windows) if (w.resetsAt <= at) windows.delete(known);
      if (windows.size >= maxClients && key !== OVERFLOW) return windowOf(OVERFLOW, at);
    }
    window = { used: 0, resetsAt: at + durationMs };
    windows.set(key, window);
    return window;
  }

  return (key) => {
    const at = now();
    const window = windowOf(key, at);
    if (window.used >= budget.points) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetsAt - at) / 1000)) };
    window.used++;
    return { ok: true };
  };
}
