// PostHog's ingestion wire format: decoding what posthog-js and posthog-node send, and encoding
// what Waymark's server forwards to PostHog's /batch/ endpoint. Framework-free so the Next.js
// route, the PostHog stand-in and unit tests share one decoder.
//
// Body forms seen from posthog-js 1.449.2 and posthog-node 5.70.0 (see shared/notes/offline-web.md):
// - gzip as `content-type: text/plain` with no `compression` query parameter (posthog-js strips it),
//   so gzip is recognised by its magic bytes as well as by `?compression=gzip-js` or
//   `content-encoding: gzip` (posthog-node);
// - plain `application/json`;
// - sendBeacon form bodies `data=<base64 of the JSON>` with `?compression=base64`.
// The JSON is an array of events, a single event, or `{ batch: [...] }` (posthog-node adds `api_key`).
import { gunzipSync } from "node:zlib";

/** One event as it travels on the wire, before normalisation. */
export interface PostHogWireEvent {
  event: string;
  // PostHog's capture API treats properties as optional.
  properties?: Record<string, unknown>;
  uuid?: string;
  timestamp?: string;
  distinct_id?: string;
  // posthog-js puts person properties of `$identify`/`$set` at the top level of the event.
  $set?: Record<string, unknown>;
  $set_once?: Record<string, unknown>;
}

/** One event after normalisation: the same shape whichever SDK sent it. */
export interface PostHogEvent {
  event: string;
  uuid?: string;
  timestamp?: string;
  distinctId?: string;
  properties: Record<string, unknown>;
}

export type PostHogBodyEncoding = "gzip" | "json" | "base64";

export interface PostHogBodyHeaders {
  contentType?: string | null;
  contentEncoding?: string | null;
  /** The `compression` query parameter of the request URL. */
  compression?: string | null;
  /** Inflating a gzip body stops here (a few hundred bytes can inflate to gigabytes). */
  maxInflatedBytes?: number;
}

/** Anything beyond this would not be a posthog-js batch: they stay well under a megabyte. */
export const DEFAULT_MAX_INFLATED_BYTES = 5 * 1024 * 1024;

export interface DecodedPostHogBody {
  encoding: PostHogBodyEncoding;
  events: PostHogEvent[];
}

export class PostHogDecodeError extends Error {
  override name = "PostHogDecodeError";
}

/** The body inflates beyond the limit: the sender gets 413, and inflating stopped at the limit. */
export class PostHogBodyTooLargeError extends PostHogDecodeError {
  override name = "PostHogBodyTooLargeError";
}

const GZIP_MAGIC_FIRST_BYTE = 0x1f;
const GZIP_MAGIC_SECOND_BYTE = 0x8b;
const GZIP_COMPRESSION_NAMES = new Set(["gzip", "gzip-js"]);
// Older posthog-js builds compressed with lz-string; 1.449.2 no longer does, so it is refused loudly.
const LZ_COMPRESSION_NAMES = new Set(["lz64", "lz-string"]);
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodePostHogBody(body: Buffer, opts: PostHogBodyHeaders): PostHogEvent[] {
  return decodePostHogBodyWithEncoding(body, opts).events;
}

/** Like decodePostHogBody, and also says which encoding the body arrived in. */
export function decodePostHogBodyWithEncoding(body: Buffer, opts: PostHogBodyHeaders): DecodedPostHogBody {
  const { encoding, text } = decodePostHogText(body, opts);
  return { encoding, events: eventsFromJsonText(text) };
}

/** Any JSON body posthog-js sends in its wire encodings, such as the /flags request. */
export function decodePostHogJson(body: Buffer, opts: PostHogBodyHeaders): unknown {
  return parseJson(decodePostHogText(body, opts).text);
}

// The JSON text of a body in whichever of posthog-js's encodings it came.
function decodePostHogText(body: Buffer, opts: PostHogBodyHeaders): { encoding: PostHogBodyEncoding; text: string } {
  if (body.length === 0) throw new PostHogDecodeError("empty body");

  const compression = opts.compression?.trim().toLowerCase() || undefined;
  if (compression && LZ_COMPRESSION_NAMES.has(compression)) {
    throw new PostHogDecodeError(`compression "${compression}" is not supported; use gzip-js or base64`);
  }
  if (compression && !GZIP_COMPRESSION_NAMES.has(compression) && compression !== "base64") {
    throw new PostHogDecodeError(`unknown compression "${compression}"`);
  }

  const contentEncoding = opts.contentEncoding?.trim().toLowerCase();
  if (hasGzipMagic(body) || (compression && GZIP_COMPRESSION_NAMES.has(compression)) || contentEncoding === "gzip") {
    return { encoding: "gzip", text: gunzip(body, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES) };
  }

  const text = body.toString("utf8");
  const isForm = opts.contentType?.toLowerCase().includes("application/x-www-form-urlencoded") ?? false;
  if (isForm || text.startsWith("data=")) {
    const data = new URLSearchParams(text).get("data");
    if (data === null) throw new PostHogDecodeError("form body has no data field");
    return decodeTextPayload(data);
  }
  if (compression === "base64") return decodeTextPayload(text);
  return { encoding: "json", text };
}

/** The JSON body for PostHog's `/batch/` endpoint. */
export function encodePostHogBatch(apiKey: string, events: PostHogEvent[]): string {
  return JSON.stringify({
    api_key: apiKey,
    historical_migration: false,
    batch: events.map((event) => ({
      event: event.event,
      properties: event.properties,
      distinct_id: event.distinctId,
      // PostHog rejects the whole batch when a uuid does not parse, and posthog-js's
      // $insert_id (a fallback id) is not a UUID, so only real UUIDs are sent.
      uuid: event.uuid !== undefined && UUID_PATTERN.test(event.uuid) ? event.uuid : undefined,
      timestamp: event.timestamp,
    })),
  });
}

function hasGzipMagic(body: Buffer): boolean {
  return body.length >= 2 && body[0] === GZIP_MAGIC_FIRST_BYTE && body[1] === GZIP_MAGIC_SECOND_BYTE;
}

// Synchronous on purpose: with the output capped it takes milliseconds, and it stops as soon as
// the limit is passed instead of inflating a bomb to the end.
function gunzip(body: Buffer, maxInflatedBytes: number): string {
  try {
    return gunzipSync(body, { maxOutputLength: maxInflatedBytes }).toString("utf8");
  } catch (e) {
    if (e instanceof RangeError) throw new PostHogBodyTooLargeError(`body inflates beyond ${maxInflatedBytes} bytes`);
    throw new PostHogDecodeError("body is not valid gzip");
  }
}

// A form's data field, or a bare body under ?compression=base64, holds base64 unless it is already JSON.
function decodeTextPayload(payload: string): { encoding: PostHogBodyEncoding; text: string } {
  const trimmed = payload.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    return { encoding: "json", text: trimmed };
  }
  // Senders that skip URL-encoding leave '+' in the base64, which form decoding turns into spaces.
  const base64 = trimmed.replace(/ /g, "+");
  if (base64.length === 0 || !BASE64_PATTERN.test(base64)) {
    throw new PostHogDecodeError("data is neither JSON nor base64");
  }
  return { encoding: "base64", text: Buffer.from(base64, "base64").toString("utf8") };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PostHogDecodeError("body is not valid JSON");
  }
}

function eventsFromJsonText(text: string): PostHogEvent[] {
  const wireEvents = wireEventsFromJson(parseJson(text));
  if (wireEvents.length === 0) throw new PostHogDecodeError("body holds no events");
  return wireEvents.map(normaliseEvent);
}

function wireEventsFromJson(parsed: unknown): PostHogWireEvent[] {
  if (Array.isArray(parsed)) return parsed.map(toWireEvent);
  if (isRecord(parsed) && "batch" in parsed) {
    if (!Array.isArray(parsed.batch)) throw new PostHogDecodeError("batch is not an array");
    return parsed.batch.map(toWireEvent);
  }
  if (isRecord(parsed) && "event" in parsed) return [toWireEvent(parsed, 0)];
  throw new PostHogDecodeError("JSON is not an event, an array of events or a { batch } object");
}

// What PostgreSQL refuses to store in text or jsonb: a NUL character, and half of a UTF-16
// surrogate pair (JSON can spell both as \u escapes).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when any string in `value`, keys included, could not be stored (walked without recursion). */
function holdsUnstorableText(value: unknown): boolean {
  const pending = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (UNSTORABLE.test(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (typeof next === "object" && next !== null) {
      for (const [key, inner] of Object.entries(next)) {
        if (UNSTORABLE.test(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

function toWireEvent(candidate: unknown, index: number): PostHogWireEvent {
  if (!isRecord(candidate)) throw new PostHogDecodeError(`event ${index} is not an object`);
  // Refused here, with its sender's batch: in the database it would fail every batch written with it.
  if (holdsUnstorableText(candidate)) throw new PostHogDecodeError(`event ${index} holds a NUL character or a lone surrogate`);
  const { event, properties, uuid, timestamp, distinct_id: distinctId, $set, $set_once: $setOnce } = candidate;
  if (typeof event !== "string" || event.length === 0) throw new PostHogDecodeError(`event ${index} has no event name`);
  if (properties !== undefined && !isRecord(properties)) throw new PostHogDecodeError(`event ${index} has non-object properties`);
  return {
    event,
    properties,
    uuid: typeof uuid === "string" ? uuid : undefined,
    timestamp: typeof timestamp === "string" ? timestamp : undefined,
    distinct_id: identifierOrUndefined(distinctId),
    $set: isRecord($set) ? $set : undefined,
    $set_once: isRecord($setOnce) ? $setOnce : undefined,
  };
}

function normaliseEvent(wire: PostHogWireEvent): PostHogEvent {
  const properties: Record<string, unknown> = { ...wire.properties };
  // PostHog merges top-level person properties into properties.$set/$set_once on ingestion;
  // doing the same here keeps them when the event is re-encoded for /batch/.
  if (wire.$set) properties.$set = { ...recordOrEmpty(properties.$set), ...wire.$set };
  if (wire.$set_once) properties.$set_once = { ...recordOrEmpty(properties.$set_once), ...wire.$set_once };

  const event: PostHogEvent = { event: wire.event, properties };
  const uuid = wire.uuid ?? stringOrUndefined(properties.uuid) ?? stringOrUndefined(properties.$insert_id);
  if (uuid !== undefined) event.uuid = uuid;
  if (wire.timestamp !== undefined) event.timestamp = wire.timestamp;
  const distinctId = wire.distinct_id ?? identifierOrUndefined(properties.distinct_id);
  if (distinctId !== undefined) event.distinctId = distinctId;
  return event;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function recordOrEmpty(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

// Some callers send numeric user ids as distinct ids; PostHog treats them as strings.
function identifierOrUndefined(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return stringOrUndefined(value);
}
