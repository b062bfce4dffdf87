import { describe, expect, it } from "vitest";
import { assessHealth, assessPersonDeletion, formatAge, redactError, type QueueStats } from "./health";

const now = new Date("2026-11-25T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const idle: QueueStats = { queued: 0, failing: 0, dead: 0, oldestQueuedAt: null, lastError: null };

describe("integration state", () => {
  it("is ok while nothing fails, even with work queued", () => {
    expect(assessHealth(idle, "yes", now)).toEqual({ state: "ok", reason: "Nothing waiting." });
    expect(assessHealth({ ...idle, queued: 40, oldestQueuedAt: minutesAgo(30) }, "yes", now).state).toBe("ok");
  });

  it("is degraded when recent attempts failed or dead letters wait for a replay", () => {
    expect(assessHealth({ ...idle, queued: 2, failing: 1, oldestQueuedAt: minutesAgo(3) }, "yes", now).state).toBe("degraded");
    expect(assessHealth({ ...idle, dead: 1 }, "yes", now)).toEqual({ state: "degraded", reason: "1 dead letter needs a replay." });
  });

  it("is down once the oldest undelivered item has waited past the threshold while attempts fail", () => {
    expect(assessHealth({ ...idle, queued: 5, failing: 5, oldestQueuedAt: minutesAgo(10) }, "yes", now)).toEqual({
      state: "down",
      reason: "Attempts have been failing for at least 10 minutes; retrying with backoff.",
    });
    expect(assessHealth({ ...idle, queued: 5, failing: 5, oldestQueuedAt: minutesAgo(9) }, "yes", now).state).toBe("degraded");
  });

  it("says when it is not configured, and how much waits for it", () => {
    expect(assessHealth({ ...idle, queued: 7, oldestQueuedAt: minutesAgo(60) }, "no", now)).toEqual({ state: "not_configured", reason: "Not configured: 7 waiting until it is." });
    expect(assessHealth({ ...idle, dead: 2 }, "no", now).reason).toBe("Not configured. 2 dead letters need a replay.");
    expect(assessHealth(idle, "invalid", now).state).toBe("down");
  });
});

describe("PostHog person deletion", () => {
  it("is down, never ok or merely not configured, while the trail reaches PostHog and deletions cannot", () => {
    const missing = assessPersonDeletion(idle, "no", true, now);
    expect(missing.state).toBe("down");
    expect(missing.reason).toMatch(/^Account deletions are not reaching PostHog: set POSTHOG_PROJECT_ID and POSTHOG_PERSONAL_API_KEY/);
    expect(assessPersonDeletion({ ...idle, queued: 3, oldestQueuedAt: minutesAgo(5) }, "no", false, now)).toMatchObject({ state: "down", reason: expect.stringMatching(/Waiting: 3\.$/) });
    expect(assessPersonDeletion(idle, "no", false, now).state).toBe("not_configured");
    expect(assessPersonDeletion(idle, "yes", true, now).state).toBe("ok");
  });
});

describe("errors shown to staff", () => {
  it("carry no keys, secrets, tokens, credentials, query strings or email addresses", () => {
    const raw =
      "Stripe said sk_live_51Habc123 is invalid; signing with whsec_MfKQ9r8GKYqrTw== failed; posthog phc_abc / phx_def; Authorization: Bearer eyJhbGciOi.x.y; " +
      "POST https://user:pa55@erp.example/hooks?token=abc#frag failed for ada@example.com";
    const shown = redactError(raw, 1000)!;
    for (const secret of ["sk_live_51Habc123", "whsec_", "phc_abc", "phx_def", "eyJhbGciOi", "pa55", "token=abc", "ada@example.com"]) expect(shown).not.toContain(secret);
    expect(shown).toContain("https://erp.example/hooks");
  });

  it("are cut to a readable length", () => {
    expect(redactError("x".repeat(500))).toHaveLength(200);
    expect(redactError("x".repeat(500))!.endsWith("…")).toBe(true);
    expect(redactError(null)).toBeNull();
  });
});

describe("waiting times", () => {
  it("read at a glance", () => {
    expect(formatAge(null, now)).toBe("—");
    expect(formatAge(new Date(now.getTime() - 20_000), now)).toBe("under a minute");
    expect(formatAge(minutesAgo(95), now)).toBe("95 min");
    expect(formatAge(minutesAgo(5 * 60 + 10), now)).toBe("5 h");
    expect(formatAge(minutesAgo(3 * 24 * 60), now)).toBe("3 days");
  });
});
