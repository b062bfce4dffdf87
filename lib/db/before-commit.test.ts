// What a transaction defers to its end runs once, inside it, after its body; a body that fails
// runs none of it. (Through the real client and the trail: tests/integration/trail-store.test.ts.)
import { describe, expect, it, vi } from "vitest";
import { pendingBeforeCommit, runAfterCommit, takeBeforeCommit, withBeforeCommit } from "./before-commit";

const KEY = Symbol("test");

function gather(tx: object, item: string, ran: string[][]) {
  const pending = pendingBeforeCommit<string[]>(tx, KEY, () => [], async (items) => void ran.push([...items]));
  pending?.push(item);
  return pending !== null;
}

describe("work deferred to a transaction's end", () => {
  it("runs once, after the body, with everything the body gathered", async () => {
    const tx = {};
    const ran: string[][] = [];
    const order: string[] = [];
    await withBeforeCommit(tx, async () => {
      gather(tx, "a", ran);
      gather(tx, "b", ran);
      order.push("body done");
    });
    order.push(`ran ${ran.length}`);
    expect(ran).toEqual([["a", "b"]]);
    expect(order).toEqual(["body done", "ran 1"]);
  });

  it("runs nothing when the body fails, and the failure passes on", async () => {
    const tx = {};
    const ran: string[][] = [];
    await expect(
      withBeforeCommit(tx, async () => {
        gather(tx, "a", ran);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(ran).toEqual([]);
  });

  it("gives back, unrun, what is gathered when taken, and runs what is gathered after at the end", async () => {
    const tx = {};
    const ran: string[][] = [];
    await withBeforeCommit(tx, async () => {
      gather(tx, "a", ran);
      expect(takeBeforeCommit<string[]>(tx, KEY)).toEqual(["a"]);
      expect(takeBeforeCommit<string[]>(tx, KEY)).toBeNull();
      gather(tx, "b", ran);
    });
    expect(ran).toEqual([["b"]]);
  });

  it("hands what is to run after the commit to the caller, once the hooks ran, and none when the body fails", async () => {
    const tx = {};
    const order: string[] = [];
    const afterCommit: (() => Promise<void>)[] = [];
    await withBeforeCommit(
      tx,
      async () => {
        pendingBeforeCommit(tx, KEY, () => [], async () => {
          order.push("before commit");
          runAfterCommit(tx, async () => void order.push("after commit"));
        });
      },
      afterCommit,
    );
    expect(order).toEqual(["before commit"]);
    for (const run of afterCommit) await run();
    expect(order).toEqual(["before commit", "after commit"]);

    const failed: (() => Promise<void>)[] = [];
    const other = {};
    await expect(
      withBeforeCommit(
        other,
        async () => {
          runAfterCommit(other, async () => {});
          throw new Error("refused");
        },
        failed,
      ),
    ).rejects.toThrow("refused");
    expect(failed).toEqual([]);
    expect(runAfterCommit({}, async () => {})).toBe(false);
  });

  it("answers null outside a transaction's scope, so the caller does its work at once", async () => {
    const ran: string[][] = [];
    expect(gather({}, "a", ran)).toBe(false);
    const tx = {};
    await withBeforeCommit(tx, async () => {});
    expect(gather(tx, "late", ran)).toBe(false);
  });

  it("runs what a deferred task registers while running", async () => {
    const tx = {};
    const ran: string[] = [];
    const other = Symbol("other");
    await withBeforeCommit(tx, async () => {
      pendingBeforeCommit(tx, KEY, () => null, async () => {
        ran.push("first");
        pendingBeforeCommit(tx, other, () => null, async () => void ran.push("registered by first"));
      });
    });
    expect(ran).toEqual(["first", "registered by first"]);
  });

  it("finds a transaction opened by another copy of this module (the web server's front and Next's bundle each load one)", async () => {
    const opening = await import("./before-commit");
    vi.resetModules();
    const recording = await import("./before-commit");
    expect(recording).not.toBe(opening);
    const tx = {};
    const afterCommit: (() => Promise<void>)[] = [];
    const ran: string[] = [];
    await opening.withBeforeCommit(
      tx,
      async () => {
        recording.pendingBeforeCommit(tx, KEY, () => [], async () => {
          ran.push("before commit");
          recording.runAfterCommit(tx, async () => void ran.push("after commit"));
        });
      },
      afterCommit,
    );
    for (const run of afterCommit) await run();
    expect(ran).toEqual(["before commit", "after commit"]);
  });
});
