import { describe, expect, it } from "vitest";
import { inFlightLimit } from "./in-flight";

/** Work that runs until released, so a test decides when each ends. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { work: async () => (await done, "done"), release };
}

describe("inFlightLimit", () => {
  it("turns away what comes while the ceiling is reached, and takes work again once some ends", async () => {
    const limit = inFlightLimit(2);
    const first = held();
    const second = held();
    const running = [limit(first.work, () => "busy"), limit(second.work, () => "busy")];
    expect(await limit(async () => "done", () => "busy")).toBe("busy");

    first.release();
    expect(await running[0]).toBe("done");
    expect(await limit(async () => "done", () => "busy")).toBe("done");
    second.release();
    expect(await running[1]).toBe("done");
  });

  it("frees its place when the work fails", async () => {
    const limit = inFlightLimit(1);
    await expect(limit(() => Promise.reject(new Error("refused")), () => "busy")).rejects.toThrow("refused");
    expect(await limit(async () => "done", () => "busy")).toBe("done");
  });
});
