// The server's PostHog seam: what its REST calls send, and where they may go.
import { describe, expect, it } from "vitest";
import { callPostHogApi, type PostHogApiAccess } from "./posthog";

function recordingAccess(): { access: PostHogApiAccess; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return Response.json({});
  };
  return { access: { host: "https://eu.posthog.com/", projectId: "4242", personalApiKey: "phx_secret", fetch: fetch as typeof globalThis.fetch }, calls };
}

describe("callPostHogApi", () => {
  it("calls the project's API with the personal API key", async () => {
    const { access, calls } = recordingAccess();
    await callPostHogApi(access, "POST", "persons/bulk_delete/", { distinct_ids: ["a"] });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe("https://eu.posthog.com/api/projects/4242/persons/bulk_delete/");
    expect(calls[0].init).toMatchObject({ method: "POST", body: JSON.stringify({ distinct_ids: ["a"] }), headers: { authorization: "Bearer phx_secret", "content-type": "application/json" } });
  });

  it("follows a page link on PostHog's host, and never sends the key to another host", async () => {
    const { access, calls } = recordingAccess();
    await callPostHogApi(access, "GET", "https://eu.posthog.com/api/projects/4242/insights/?offset=100");
    await expect(callPostHogApi(access, "GET", "https://collector.example/api/projects/4242/insights/?offset=200")).rejects.toThrow(/another host/);
    expect(calls.map((call) => call.url)).toEqual(["https://eu.posthog.com/api/projects/4242/insights/?offset=100"]);
  });
});
