import { describe, expect, it } from "vitest";
import { pageSubjectOf } from "./page-subject";

describe("the order or return a step's page is about", () => {
  it("is the order of any of an order's pages, and the return of a return's", () => {
    expect(pageSubjectOf("/orders/WM-209300")).toEqual({ order_number: "WM-209300" });
    expect(pageSubjectOf("/orders/WM-209300/return")).toEqual({ order_number: "WM-209300" });
    expect(pageSubjectOf("/orders/WM-209300/pay/pi_123")).toEqual({ order_number: "WM-209300" });
    expect(pageSubjectOf("/returns/RT-100042")).toEqual({ return_number: "RT-100042" });
    expect(pageSubjectOf("/returns/RT-100042/cancel?from=list")).toEqual({ return_number: "RT-100042" });
  });

  it("is nothing on a page about neither, an address the portal has no page for, or no address", () => {
    expect(pageSubjectOf("/orders")).toEqual({});
    expect(pageSubjectOf("/account/password")).toEqual({});
    expect(pageSubjectOf("/orders/WM-209300/teleport")).toEqual({});
    expect(pageSubjectOf(`/orders/${"9".repeat(41)}`)).toEqual({});
    expect(pageSubjectOf(undefined)).toEqual({});
  });
});
