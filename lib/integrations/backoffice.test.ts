import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { backOfficeConfig, backOfficeInboundSecret, webhookBody } from "./backoffice";
import { orderMovesForward, parseInboundEvent, shipmentStatusFollows } from "./backoffice-inbound";

const SHARED = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OWN = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";

describe("back-office endpoint configuration", () => {
  it("is off when no endpoint is listed", () => {
    expect(backOfficeConfig(parseConfig({}))).toBeNull();
    expect(backOfficeConfig(parseConfig({ BACKOFFICE_ENDPOINTS: "  ", BACKOFFICE_SIGNING_SECRET: SHARED }))).toBeNull();
  });

  it("reads a comma list of name=url with the shared secret", () => {
    expect(backOfficeConfig(parseConfig({ BACKOFFICE_ENDPOINTS: "erp=https://erp.example/hooks, crm = http://crm.local:8080/in", BACKOFFICE_SIGNING_SECRET: SHARED }))).toEqual({
      endpoints: [
        { name: "erp", url: "https://erp.example/hooks", secret: SHARED },
        { name: "crm", url: "http://crm.local:8080/in", secret: SHARED },
      ],
    });
  });

  it("reads a JSON list where an endpoint may bring its own secret", () => {
    const endpoints = JSON.stringify([{ name: "erp", url: "https://erp.example/hooks", secret: OWN }, { name: "crm", url: "https://crm.example/in" }]);
    expect(backOfficeConfig(parseConfig({ BACKOFFICE_ENDPOINTS: endpoints, BACKOFFICE_SIGNING_SECRET: SHARED }))?.endpoints.map((e) => e.secret)).toEqual([OWN, SHARED]);
  });

  it.each([
    ["a missing secret", { BACKOFFICE_ENDPOINTS: "erp=https://erp.example" }, /BACKOFFICE_SIGNING_SECRET is required: no secret for erp/],
    ["a secret without the whsec_ prefix", { BACKOFFICE_ENDPOINTS: "erp=https://erp.example", BACKOFFICE_SIGNING_SECRET: "hunter2" }, /BACKOFFICE_SIGNING_SECRET is invalid/],
    ["a secret shorter than 24 bytes", { BACKOFFICE_ENDPOINTS: "erp=https://erp.example", BACKOFFICE_SIGNING_SECRET: "whsec_c2hvcnQ=" }, /at least 24 random bytes/],
    ["an entry without a URL", { BACKOFFICE_ENDPOINTS: "erp", BACKOFFICE_SIGNING_SECRET: SHARED }, /http\(s\) URLs/],
    ["a non-http URL", { BACKOFFICE_ENDPOINTS: "erp=ftp://erp.example", BACKOFFICE_SIGNING_SECRET: SHARED }, /http\(s\) URLs/],
    ["a name that cannot be a topic", { BACKOFFICE_ENDPOINTS: "ERP system=https://erp.example", BACKOFFICE_SIGNING_SECRET: SHARED }, /endpoint names/],
    ["a name used twice", { BACKOFFICE_ENDPOINTS: "erp=https://a.example,erp=https://b.example", BACKOFFICE_SIGNING_SECRET: SHARED }, /unique/],
    ["broken JSON", { BACKOFFICE_ENDPOINTS: '[{"name": "erp"', BACKOFFICE_SIGNING_SECRET: SHARED }, /BACKOFFICE_ENDPOINTS is invalid/],
  ])("refuses %s, saying what is wrong without echoing secrets", (_case, env, message) => {
    let thrown: unknown;
    try {
      backOfficeConfig(parseConfig(env));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain("hunter2");
  });

  it("checks the inbound secret the same way", () => {
    expect(backOfficeInboundSecret(parseConfig({}))).toBeNull();
    expect(backOfficeInboundSecret(parseConfig({ BACKOFFICE_INBOUND_SECRET: OWN }))).toBe(OWN);
    expect(() => backOfficeInboundSecret(parseConfig({ BACKOFFICE_INBOUND_SECRET: "secret" }))).toThrow(/BACKOFFICE_INBOUND_SECRET is invalid/);
  });
});

describe("the outgoing envelope", () => {
  it("carries the event id receivers de-duplicate by, its type, when it happened and its data", () => {
    const body = webhookBody({ id: "evt_1", type: "refund.issued", occurredAt: "2026-11-01T10:00:00.000Z", data: { orderNumber: "WM-1", amountMinor: 500 } });
    expect(JSON.parse(body)).toEqual({ id: "evt_1", type: "refund.issued", timestamp: "2026-11-01T10:00:00.000Z", data: { orderNumber: "WM-1", amountMinor: 500 } });
  });
});

describe("incoming back-office events", () => {
  it("moves an order only forward; delivered and cancelled orders stay as they are", () => {
    expect(orderMovesForward("PROCESSING", "SHIPPED")).toBe(true);
    expect(orderMovesForward("PENDING_PAYMENT", "SHIPPED")).toBe(true);
    expect(orderMovesForward("SHIPPED", "DELIVERED")).toBe(true);
    expect(orderMovesForward("SHIPPED", "CANCELLED")).toBe(true);
    expect(orderMovesForward("SHIPPED", "SHIPPED")).toBe(false);
    expect(orderMovesForward("DELIVERED", "SHIPPED")).toBe(false);
    expect(orderMovesForward("DELIVERED", "CANCELLED")).toBe(false);
    expect(orderMovesForward("CANCELLED", "SHIPPED")).toBe(false);
  });

  it("lets a scan set the shipment's status only when it is the newest, and never after delivery", () => {
    const newestScanAt = new Date("2026-11-02T10:00:00Z");
    expect(shipmentStatusFollows({ status: "IN_TRANSIT", newestScanAt }, new Date("2026-11-02T12:00:00Z"))).toBe(true);
    expect(shipmentStatusFollows({ status: "OUT_FOR_DELIVERY", newestScanAt }, new Date("2026-11-02T09:00:00Z"))).toBe(false);
    expect(shipmentStatusFollows({ status: "LABEL_CREATED", newestScanAt: null }, new Date("2026-11-01T00:00:00Z"))).toBe(true);
    expect(shipmentStatusFollows({ status: "DELIVERED", newestScanAt }, new Date("2026-11-03T00:00:00Z"))).toBe(false);
  });

  it("accepts the two event types and explains what is wrong with anything else", () => {
    const scan = { type: "shipment.event", data: { orderNumber: "WM-1", carrier: "Parcelnet", trackingNumber: "PN123456", status: "IN_TRANSIT", description: "At the hub", at: "2026-11-02T10:00:00+01:00" } };
    const parsed = parseInboundEvent(JSON.stringify(scan));
    expect(parsed.ok && parsed.event.type === "shipment.event" && parsed.event.data.at.toISOString()).toBe("2026-11-02T09:00:00.000Z");
    expect(parseInboundEvent("not json")).toEqual({ ok: false, message: "The body is not JSON." });
    expect(parseInboundEvent(JSON.stringify({ type: "order.status_changed", data: { orderNumber: "WM-1", status: "PROCESSING", at: "2026-11-02T10:00:00Z" } }))).toMatchObject({ ok: false, message: expect.stringContaining("data.status") });
    expect(parseInboundEvent(JSON.stringify({ type: "order.refunded", data: {} }))).toMatchObject({ ok: false, message: expect.stringContaining("type") });
    expect(parseInboundEvent(JSON.stringify({ ...scan, data: { ...scan.data, at: "yesterday" } }))).toMatchObject({ ok: false, message: expect.stringContaining("data.at") });
  });
});
