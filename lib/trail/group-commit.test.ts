import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit";

/** A write that records each call's items and finishes when told to. */
function controllableWrite() {
  const calls: number[][] = [];
  const finish: (() => void)[] = [];
  const write = (items: number[]) => {
    calls.push(items);
    return new Promise<number[]>((resolve) => finish.push(() => resolve(items.map((n) => n * 10))));
  };
  return { calls, finish, write };
}

describe("groupCommit", () => {
  it("writes a lone item at once, and the items that arrive meanwhile together in the next write", async () => {
    const { calls, finish, write } = controllableWrite();
    const store = groupCommit(write);
    const first = store(1);
    const rest = [store(2), store(3), store(4)];
    expect(calls).toEqual([[1]]);
    finish[0]();
    expect(await first).toBe(10);
    await expect.poll(() => calls.length).toBe(2);
    expect(calls[1]).toEqual([2, 3, 4]);
    finish[1]();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it("keeps as many groups in flight as it is given writers, and groups what arrives while all are busy", async () => {
    const { calls, finish, write } = controllableWrite();
    const store = groupCommit(write, 2);
    const results = [store(1), store(2), store(3), store(4)];
    // Two writes at once, each with what had arrived; the rest waits for the first to finish.
    expect(calls).toEqual([[1], [2]]);
    finish[1]();
    await expect.poll(() => calls.length).toBe(3);
    expect(calls[2]).toEqual([3, 4]);
    finish[0]();
    finish[2]();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
  });

  it("writes a failed group's items one by one, so one refused item fails only itself", async () => {
    const calls: number[][] = [];
    const store = groupCommit(async (items: number[]) => {
      calls.push(items);
      await Promise.resolve();
      if (items.includes(13)) throw new Error("invalid byte sequence");
      return items.map((n) => n * 10);
    });
    const first = store(1);
    const group = [store(2), store(13), store(4)];
    expect(await first).toBe(10);
    await expect(group[1]).rejects.toThrow("invalid byte sequence");
    expect(await group[0]).toBe(20);
    expect(await group[2]).toBe(40);
    expect(calls).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
  });

  it("gives every item of a failed write the error, and goes on with later items", async () => {
    let fail = true;
    const store = groupCommit(async (items: number[]) => {
      await Promise.resolve();
      if (fail) throw new Error("database went away");
      return items;
    });
    const failed = [store(1), store(2)];
    await expect(failed[0]).rejects.toThrow("database went away");
    await expect(failed[1]).rejects.toThrow("database went away");
    fail = false;
    expect(await store(3)).toBe(3);
  });
});
