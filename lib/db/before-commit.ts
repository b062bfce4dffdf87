// Work that belongs to a transaction but can wait for its end: registered on the transaction
// client during the transaction, run inside it just before it commits (so it commits or rolls back
// with everything else), dropped when the transaction rolls back. A module that would otherwise
// send one statement per call (the trail, one per step and message) gathers its calls into one.
// Framework-free: the database client (lib/db/client.ts) opens the scope around every interactive
// transaction; a client that opens none makes `pendingBeforeCommit` answer null, and the caller
// then does its work at once.

type Hook = () => Promise<void>;
type Scope = { hooks: Map<symbol, { state: unknown; run: Hook }> };

const scopes = new WeakMap<object, Scope>();

/**
 * Runs `work` (the body of the transaction `tx`) and then, still inside the transaction, every
 * hook registered on `tx` meanwhile, in the order they were registered. When `work` throws, the
 * hooks are dropped and the error passes on (the transaction rolls back).
 */
export async function withBeforeCommit<T>(tx: object, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { hooks: new Map() };
  scopes.set(tx, scope);
  try {
    const result = await work();
    await runHooks(scope);
    return result;
  } finally {
    scopes.delete(tx);
  }
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

/** Runs now what is registered under `key` on `tx` (for a read in the same transaction that must see it); later calls gather anew. */
export async function runBeforeCommitNow(tx: object, key: symbol): Promise<void> {
  const hook = scopes.get(tx)?.hooks.get(key);
  if (!hook) return;
  scopes.get(tx)!.hooks.delete(key);
  await hook.run();
}

/** Hooks may register more (a flush that records something): those run too, until none is left. */
async function runHooks(scope: Scope) {
  while (scope.hooks.size > 0) {
    const [key, hook] = scope.hooks.entries().next().value!;
    scope.hooks.delete(key);
    await hook.run();
  }
}
