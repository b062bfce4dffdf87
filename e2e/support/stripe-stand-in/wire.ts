// Stripe's wire format: form bodies with bracket nesting, parameter checks with Stripe's error
// codes, and the error object Stripe answers with.
import type { Params, Reply, StripeObject } from "./types";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Stripe's error object, answered as `{ error: { … } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: "invalid_request_error" | "card_error" | "api_error" | "idempotency_error",
    message: string,
    readonly details: { code?: string; param?: string; decline_code?: string; payment_intent?: StripeObject; setup_intent?: StripeObject } = {},
    /** Validation failures happen before "execution begins", so Stripe does not save them for replay. */
    readonly saveForReplay = true,
  ) {
    super(message);
  }
  body() {
    return { error: { type: this.type, message: this.message, ...this.details, doc_url: this.details.code ? `https://stripe.com/docs/error-codes/${this.details.code.replaceAll("_", "-")}` : undefined } };
  }
}

/**
 * Decodes a Stripe form body: `a[b][c]=1`, `list[0][x]=y` and `list[]=z` become nested objects and
 * arrays, the way Stripe reads what the SDK sends.
 */
export function parseStripeForm(encoded: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const head = /^[^[]+/.exec(rawKey)?.[0];
    if (!head) continue;
    const path = [head, ...[...rawKey.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
    if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) continue;
    let node: Record<string, unknown> = root;
    path.forEach((segment, index) => {
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      if (!isRecord(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return arrayify(root) as Record<string, unknown>;
}

export function arrayify(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arrayify(value[k])] as const);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

export function errorReply(error: StripeApiError): Reply {
  return { status: error.status, body: error.body() };
}

export function invalid(message: string, param: string, code: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, { code, param }, false);
}

export function allowOnly(params: Params, allowed: string[], prefix?: string) {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalid(`Received unknown parameter: ${param}`, param, "parameter_unknown");
    }
  }
}

export function requiredString(params: Params, name: string, prefix?: string): string {
  const value = params[name];
  const param = prefix ? `${prefix}[${name}]` : name;
  if (typeof value !== "string" || value === "") throw invalid(`Missing required param: ${param}.`, param, "parameter_missing");
  return value;
}

export function optionalString(params: Params, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === "") return null;
  if (typeof value !== "string") throw invalid(`Invalid string: ${JSON.stringify(value)}`, name, "parameter_invalid_string");
  return value;
}

export function requiredInteger(params: Params, name: string, prefix?: string): number {
  const value = params[name];
  const param = prefix ? `${prefix}[${name}]` : name;
  if (value === undefined || value === "") throw invalid(`Missing required param: ${param}.`, param, "parameter_missing");
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${String(value)}`, param, "parameter_invalid_integer");
  return Number(value);
}

export function optionalBoolean(params: Params, name: string): boolean {
  const value = params[name];
  if (value === undefined) return false;
  if (value !== "true" && value !== "false") throw invalid(`Invalid boolean: ${String(value)}`, name, "parameter_invalid_boolean");
  return value === "true";
}

export function metadataOf(params: Params): Params {
  const metadata = params.metadata;
  if (metadata === undefined) return {};
  if (!isRecord(metadata)) throw invalid("Invalid object", "metadata", "parameter_invalid_string");
  const entries = Object.entries(metadata);
  if (entries.length > 50) throw invalid("You can only set up to 50 keys on metadata.", "metadata", "parameter_invalid_string");
  for (const [key, value] of entries) {
    if (key.length > 40) throw invalid(`Metadata keys can be at most 40 characters long: ${key}`, `metadata[${key}]`, "parameter_invalid_string");
    if (typeof value !== "string" || value.length > 500) throw invalid("Metadata values must be strings of at most 500 characters.", `metadata[${key}]`, "parameter_invalid_string");
  }
  return Object.fromEntries(entries.filter(([, value]) => value !== ""));
}

export function nestedMetadata(params: Params, field: string): Params {
  const nested = params[field];
  if (nested === undefined) return {};
  if (!isRecord(nested)) throw invalid("Invalid object", field, "parameter_invalid_string");
  allowOnly(nested, ["metadata", "description", "setup_future_usage"], field);
  return metadataOf(nested);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
