// Group commit: items that arrive while a write is in flight wait and are written together by the
// next one. Under load a busy /ingest then pays its fixed costs (transaction, locks, the attempt
// lookup, the statement's round trips) once per group instead of once per browser batch; alone,
// a batch is written at once, as before. Each caller still hears back only after its own items are
// stored (or with the error that stopped the group), so nothing is acknowledged before it is durable.

type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };

/**
 * `write` gets the items in arrival order and answers one result per item, in the same order.
 * `writers`: how many groups may be in flight at once. One keeps every group as large as it can be;
 * two let the database work on one group while this process reads and prepares the next.
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, writers = 1): (item: T) => Promise<R> {
  let waiting: Waiting<T, R>[] = [];
  let active = 0;

  async function drain() {
    active++;
    try {
      while (waiting.length) {
        const group = waiting;
        waiting = [];
        try {
          const results = await write(group.map((w) => w.item));
          group.forEach((w, i) => w.resolve(results[i]));
        } catch (error) {
          if (group.length === 1) group[0].reject(error);
          // One item the database refuses must not fail the others': each is written alone, and
          // only the ones that fail alone hear the error.
          else for (const w of group) await write([w.item]).then(([result]) => w.resolve(result), w.reject);
        }
      }
    } finally {
      active--;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (active < writers) void drain();
    });
}
