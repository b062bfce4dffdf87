import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  PostHogBodyTooLargeError,
  PostHogDecodeError,
  decodePostHogBody,
  decodePostHogBodyWithEncoding,
  encodePostHogBatch,
  type PostHogEvent,
} from "./posthog-wire";

// Shaped like posthog-js 1.449.2 events: distinct_id and token inside properties,
// uuid and timestamp at the top level, person properties of $identify at the top level.
const BROWSER_EVENTS = [
  {
    uuid: "019a0000-0000-7000-8000-000000000001",
    event: "$pageview",
    properties: { distinct_id: "anon-1", token: "phc_test", $insert_id: "k3j4h5g6", $current_url: "http://localhost/" },
    timestamp: "2026-11-24T10:00:00.000Z",
  },
  {
    uuid: "019a0000-0000-7000-8000-000000000002",
    event: "$identify",
    properties: { distinct_id: "u_1", $anon_distinct_id: "anon-1", token: "phc_test" },
    $set: { email: "ada@example.com" },
    $set_once: { first_seen_plan: "free" },
    timestamp: "2026-11-24T10:00:01.000Z",
  },
];
const BROWSER_JSON = JSON.stringify(BROWSER_EVENTS);

function base64Form(json: string): Buffer {
  return Buffer.from(`data=${encodeURIComponent(Buffer.from(json, "utf8").toString("base64"))}`);
}

function expectBrowserEvents(events: PostHogEvent[]): void {
  expect(events.map((e) => e.event)).toEqual(["$pageview", "$identify"]);
  expect(events.map((e) => e.distinctId)).toEqual(["anon-1", "u_1"]);
  expect(events.map((e) => e.uuid)).toEqual(["019a0000-0000-7000-8000-000000000001", "019a0000-0000-7000-8000-000000000002"]);
  expect(events[0].timestamp).toBe("2026-11-24T10:00:00.000Z");
  expect(events[0].properties.$current_url).toBe("http://localhost/");
}

function decodeError(run: () => unknown): PostHogDecodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PostHogDecodeError);
    return error as PostHogDecodeError;
  }
  throw new Error("expected a PostHogDecodeError, nothing was thrown");
}

describe("decodePostHogBody: body forms", () => {
  it("decodes gzip sent as text/plain without a compression parameter, by its magic bytes", () => {
    const decoded = decodePostHogBodyWithEncoding(gzipSync(BROWSER_JSON), { contentType: "text/plain" });
    expect(decoded.encoding).toBe("gzip");
    expectBrowserEvents(decoded.events);
  });

  it("decodes gzip announced by ?compression=gzip-js", () => {
    const events = decodePostHogBody(gzipSync(BROWSER_JSON), { contentType: "text/plain", compression: "gzip-js" });
    expectBrowserEvents(events);
  });

  it("reports a body that claims gzip but is not gzip", () => {
    const error = decodeError(() => decodePostHogBody(Buffer.from(BROWSER_JSON), { compression: "gzip-js" }));
    expect(error.message).toBe("body is not valid gzip");
  });

  it("decodes plain application/json", () => {
    const decoded = decodePostHogBodyWithEncoding(Buffer.from(BROWSER_JSON), { contentType: "application/json" });
    expect(decoded.encoding).toBe("json");
    expectBrowserEvents(decoded.events);
  });

  it("decodes sendBeacon form bodies data=<base64> with ?compression=base64", () => {
    const decoded = decodePostHogBodyWithEncoding(base64Form(BROWSER_JSON), {
      contentType: "application/x-www-form-urlencoded",
      compression: "base64",
    });
    expect(decoded.encoding).toBe("base64");
    expectBrowserEvents(decoded.events);
  });

  it("keeps non-ASCII text intact through base64", () => {
    const json = JSON.stringify({ event: "note_saved", properties: { distinct_id: "u_2", title: "Grüße, 東京 ✓" } });
    const [event] = decodePostHogBody(base64Form(json), { contentType: "application/x-www-form-urlencoded; charset=UTF-8" });
    expect(event.properties.title).toBe("Grüße, 東京 ✓");
  });

  it("accepts base64 whose '+' signs were not URL-encoded", () => {
    // Runs of "~" encode to base64 containing '+', which form decoding would turn into a space.
    const json = JSON.stringify({ event: "plus_check", properties: { distinct_id: "u_3", note: "~~~~~~" } });
    const rawBase64 = Buffer.from(json).toString("base64");
    expect(rawBase64).toContain("+");
    const [event] = decodePostHogBody(Buffer.from(`data=${rawBase64}`), { contentType: "application/x-www-form-urlencoded" });
    expect(event.properties.note).toBe("~~~~~~");
  });

  it("accepts a form whose data field is plain JSON", () => {
    const decoded = decodePostHogBodyWithEncoding(Buffer.from(`data=${encodeURIComponent(BROWSER_JSON)}`), {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(decoded.encoding).toBe("json");
    expectBrowserEvents(decoded.events);
  });

  it("decodes posthog-node's gzipped { api_key, batch } with distinct_id at the top level", () => {
    const nodeBody = {
      api_key: "phc_test",
      batch: [
        {
          distinct_id: "u_42",
          event: "invoice_paid",
          properties: { amount: 1200, $lib: "posthog-node" },
          type: "capture",
          library: "posthog-node",
          timestamp: "2026-11-24T11:00:00.000Z",
          uuid: "019a0000-0000-7000-8000-0000000000aa",
        },
      ],
      sent_at: "2026-11-24T11:00:00.100Z",
    };
    const decoded = decodePostHogBodyWithEncoding(gzipSync(JSON.stringify(nodeBody)), {
      contentType: "application/json",
      contentEncoding: "gzip",
    });
    expect(decoded.encoding).toBe("gzip");
    expect(decoded.events).toEqual([
      {
        event: "invoice_paid",
        distinctId: "u_42",
        uuid: "019a0000-0000-7000-8000-0000000000aa",
        timestamp: "2026-11-24T11:00:00.000Z",
        properties: { amount: 1200, $lib: "posthog-node" },
      },
    ]);
  });

  it("decodes a single event object as a one-event array", () => {
    const single = { api_key: "phc_test", event: "signed_in", distinct_id: 1234, properties: { method: "password" } };
    const events = decodePostHogBody(Buffer.from(JSON.stringify(single)), { contentType: "application/json" });
    expect(events).toEqual([{ event: "signed_in", distinctId: "1234", properties: { method: "password" } }]);
  });
});

describe("decodePostHogBody: normalisation", () => {
  it("folds top-level $set and $set_once into properties, top level winning", () => {
    const [, identify] = decodePostHogBody(Buffer.from(BROWSER_JSON), {});
    expect(identify.properties.$set).toEqual({ email: "ada@example.com" });
    expect(identify.properties.$set_once).toEqual({ first_seen_plan: "free" });

    const clash = { event: "$set", properties: { distinct_id: "u_1", $set: { plan: "free", locale: "en" } }, $set: { plan: "pro" } };
    const [merged] = decodePostHogBody(Buffer.from(JSON.stringify(clash)), {});
    expect(merged.properties.$set).toEqual({ plan: "pro", locale: "en" });
  });

  it("falls back to properties.uuid, then properties.$insert_id, for the id", () => {
    const body = [
      { event: "a", properties: { distinct_id: "d", uuid: "from-properties", $insert_id: "insert-1" } },
      { event: "b", properties: { distinct_id: "d", $insert_id: "insert-2" } },
      { event: "c", properties: { distinct_id: "d" } },
    ];
    const events = decodePostHogBody(Buffer.from(JSON.stringify(body)), {});
    expect(events.map((e) => e.uuid)).toEqual(["from-properties", "insert-2", undefined]);
  });

  it("gives an event without properties an empty properties object", () => {
    const [event] = decodePostHogBody(Buffer.from(JSON.stringify({ event: "bare", distinct_id: "d" })), {});
    expect(event).toEqual({ event: "bare", distinctId: "d", properties: {} });
  });
});

describe("decodePostHogBody: refusals", () => {
  it.each([
    ["empty body", Buffer.alloc(0), {}, "empty body"],
    ["garbage bytes", Buffer.from([0x00, 0xff, 0x10, 0x42]), { contentType: "text/plain" }, "body is not valid JSON"],
    ["HTML", Buffer.from("<html>nope</html>"), { contentType: "application/json" }, "body is not valid JSON"],
    ["JSON that is not an event", Buffer.from('{"hello":"world"}'), {}, "JSON is not an event, an array of events or a { batch } object"],
    ["an empty batch", Buffer.from('{"api_key":"k","batch":[]}'), {}, "body holds no events"],
    ["an empty array", Buffer.from("[]"), {}, "body holds no events"],
    ["a batch that is not an array", Buffer.from('{"batch":{"event":"x"}}'), {}, "batch is not an array"],
    ["an event without a name", Buffer.from('[{"event":"ok"},{"properties":{}}]'), {}, "event 1 has no event name"],
    ["an event that is a string", Buffer.from('["$pageview"]'), {}, "event 0 is not an object"],
    ["array properties", Buffer.from('{"event":"x","properties":[1]}'), {}, "event 0 has non-object properties"],
    ["a form without data", Buffer.from("payload=abc"), { contentType: "application/x-www-form-urlencoded" }, "form body has no data field"],
    ["a form with non-base64 data", Buffer.from("data=%25%25%25"), { contentType: "application/x-www-form-urlencoded" }, "data is neither JSON nor base64"],
    ["lz64 compression", Buffer.from("data=N4Ig"), { compression: "lz64" }, 'compression "lz64" is not supported; use gzip-js or base64'],
    ["an unknown compression", Buffer.from("[]"), { compression: "brotli" }, 'unknown compression "brotli"'],
  ] as const)("refuses %s with a short message", (_label, body, opts, message) => {
    expect(decodeError(() => decodePostHogBody(body, opts)).message).toBe(message);
  });
});

describe("encodePostHogBatch", () => {
  it("writes PostHog's /batch/ body with distinct_id, uuid and timestamp per event", () => {
    const events = decodePostHogBody(gzipSync(BROWSER_JSON), {});
    const body = JSON.parse(encodePostHogBatch("phc_live", events));
    expect(body.api_key).toBe("phc_live");
    expect(body.historical_migration).toBe(false);
    expect(body.batch).toEqual([
      {
        event: "$pageview",
        distinct_id: "anon-1",
        uuid: "019a0000-0000-7000-8000-000000000001",
        timestamp: "2026-11-24T10:00:00.000Z",
        properties: BROWSER_EVENTS[0].properties,
      },
      {
        event: "$identify",
        distinct_id: "u_1",
        uuid: "019a0000-0000-7000-8000-000000000002",
        timestamp: "2026-11-24T10:00:01.000Z",
        properties: { ...BROWSER_EVENTS[1].properties, $set: { email: "ada@example.com" }, $set_once: { first_seen_plan: "free" } },
      },
    ]);
  });

  it("drops ids that are not UUIDs, which PostHog would reject the batch for", () => {
    const body = JSON.parse(encodePostHogBatch("k", [{ event: "x", uuid: "k3j4h5g6", distinctId: "d", properties: {} }]));
    expect(body.batch[0]).toEqual({ event: "x", distinct_id: "d", properties: {} });
  });

  it("round-trips through the decoder", () => {
    const events = decodePostHogBody(Buffer.from(BROWSER_JSON), {});
    const decodedAgain = decodePostHogBody(Buffer.from(encodePostHogBatch("k", events)), { contentType: "application/json" });
    expect(decodedAgain).toEqual(events);
  });
});

describe("inflating gzip", () => {
  it("stops at the limit instead of inflating a bomb to the end", () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(() => decodePostHogBody(bomb, { maxInflatedBytes: 1024 * 1024 })).toThrow(PostHogBodyTooLargeError);
    expect(() => decodePostHogBody(bomb, {})).toThrow(PostHogBodyTooLargeError);
  });
});
