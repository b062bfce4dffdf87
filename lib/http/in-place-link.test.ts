import { describe, expect, it } from "vitest";
import { inPlaceTarget, type LinkClick } from "./in-place-link";

const HERE = "https://waymark.example/orders?page=2";
const click = (over: Partial<LinkClick> = {}): LinkClick => ({ button: 0, modifier: false, defaultPrevented: false, target: "", download: false, href: "https://waymark.example/orders/W-1001", ...over });

describe("inPlaceTarget", () => {
  it("navigates a plain click on one of our pages in place, query and fragment kept", () => {
    expect(inPlaceTarget(click(), HERE)).toBe("/orders/W-1001");
    expect(inPlaceTarget(click({ href: "/returns?status=open#list" }), HERE)).toBe("/returns?status=open#list");
    expect(inPlaceTarget(click({ target: "_self" }), HERE)).toBe("/orders/W-1001");
  });

  it("leaves a new tab or window, another button, a download and an already handled click to the browser", () => {
    expect(inPlaceTarget(click({ modifier: true }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ button: 1 }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ target: "_blank" }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ download: true }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ defaultPrevented: true }), HERE)).toBeNull();
  });

  it("leaves another site and a jump within the same page to the browser", () => {
    expect(inPlaceTarget(click({ href: "https://carrier.example/track/1" }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ href: "/orders?page=2#main" }), HERE)).toBeNull();
    expect(inPlaceTarget(click({ href: "/orders?page=3#main" }), HERE)).toBe("/orders?page=3#main");
  });
});
