// Work that belongs to a transaction but can wait for its end: registered on the transaction
// client during the transaction, run inside it just before it commits (so it commits or rolls back
// with everything else), dropped when the transaction rolls back. A module that would otherwise
// send one statement per call (the trail, one per step and message) gathers its calls into one.
// And work for once it has committed (runAfterCommit): what the transaction left for later (the
// trail's intents), which the client runs after the commit, before or after the caller goes on.
// Framework-free: the database client (lib/db/client.ts) opens the scope around every interactive
// transaction; a client that opens none makes `pendingBeforeCommit` answer null, and the caller
// then does its work at once.

type Hook = () => Promise<void>;
type Scope = { hooks: Map<symbol, { state: unknown; run: Hook }>; committed: Hook[] };

// On globalThis: the web server's HTTP front and Next's bundle each load this module, and the
// client's transactions (opened by the front's copy) must be found by the bundle's code that
// records in them, or every step is stored at once inside the task instead of at its end.
const shared = globalThis as unknown as { waymarkBeforeCommitScopes?: WeakMap<object, Scope> };
const scopes = (shared.waymarkBeforeCommitScopes ??= new WeakMap<object, Scope>());

/**
 * Runs `work` (the body of the transaction `tx`) and then, still inside the transaction, every
 * hook registered on `tx` meanwhile, in the order they were registered. When `work` throws, the
 * hooks are dropped and the error passes on (the transaction rolls back). What was registered to
 * run after the commit is added to `afterCommit`, for the caller to run once the commit succeeded.
 */
export async function withBeforeCommit<T>(tx: object, work: () => Promise<T>, afterCommit: Hook[] = []): Promise<T> {
  const scope: Scope = { hooks: new Map(), committed: [] };
  scopes.set(tx, scope);
  try {
    const result = await work();
    await runHooks(scope);
    afterCommit.push(...scope.committed);
    return result;
  } finally {
    scopes.delete(tx);
  }
}

/**
 * Registers `work` to run once the transaction `tx` has committed, never when it rolls back; false
 * when `tx` is no transaction with a before-commit scope. Registered by a before-commit hook too.
 */
export function runAfterCommit(tx: object, work: Hook): boolean {
  const scope = scopes.get(tx);
  if (!scope) return false;
  scope.committed.push(work);
  return true;
}

/**
 * The state this transaction gathers under `key`, created by `init` on the first call, with `run`
 * registered to run once before the commit: or null when `tx` is no transaction with a
 * before-commit scope (the top-level client, or a client that opens none), where the caller must
 * do its work at once.
 */
export function pendingBeforeCommit<S>(tx: object, key: symbol, init: () => S, run: (state: S) => Promise<void>): S | null {
  const scope = scopes.get(tx);
  if (!scope) return null;
  const existing = scope.hooks.get(key);
  if (existing) return existing.state as S;
  const state = init();
  scope.hooks.set(key, { state, run: () => run(state) });
  return state;
}

/** Takes back what is registered under `key` on `tx`, unrun, for a caller that does it now its own way; later calls gather anew. */
export function takeBeforeCommit<S>(tx: object, key: symbol): S | null {
  const hook = scopes.get(tx)?.hooks.get(key);
  if (!hook) return null;
  scopes.get(tx)!.hooks.delete(key);
  return hook.state as S;
}

/** Hooks may register more (a flush that records something): those run too, until none is left. */
async function runHooks(scope: Scope) {
  while (scope.hooks.size > 0) {
    const [key, hook] = scope.hooks.entries().next().value!;
    scope.hooks.delete(key);
    await hook.run();
  }
}
