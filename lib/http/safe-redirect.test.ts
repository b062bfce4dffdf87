import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

const OWN = "https://portal.waymark.test";

// Each of these, followed by a browser (router.replace, Location header), could leave the site.
const HOSTILE: unknown[] = [
  "//evil.example",
  "//evil.example/orders",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "%2F%2Fevil.example",
  "/%2Fevil.example",
  "/%2F%2Fevil.example",
  "/%252F%252Fevil.example",
  "/%255Cevil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "/./\\evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "https://evil.example",
  "https://evil.example/orders",
  "http:evil.example",
  "http:/evil.example",
  "HTTPS://EVIL.EXAMPLE",
  "https:\\\\evil.example",
  `${OWN}.evil.example/orders`,
  `${OWN}@evil.example`,
  "https://portal.waymark.test:8443/orders",
  "//portal.waymark.test/orders",
  "javascript:alert(document.cookie)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "orders",
  "/%ZZ",
  "",
  "/" + "a".repeat(3000),
  null,
  undefined,
  42,
  ["/orders"],
  { toString: () => "/orders" },
];

describe("safeRedirectPath", () => {
  it.each(HOSTILE.map((target) => [target]))("sends %j home", (target) => {
    expect(safeRedirectPath(target, OWN)).toBe("/");
    expect(safeRedirectPath(target)).toBe("/");
  });

  it("keeps paths on this site with their query and fragment", () => {
    expect(safeRedirectPath("/")).toBe("/");
    expect(safeRedirectPath("/orders/WM-100023")).toBe("/orders/WM-100023");
    expect(safeRedirectPath("/orders?tab=returns&page=2#latest")).toBe("/orders?tab=returns&page=2#latest");
    expect(safeRedirectPath("/orders?q=blue%20shirt")).toBe("/orders?q=blue%20shirt");
    expect(safeRedirectPath("/account/../orders")).toBe("/orders");
  });

  it("accepts an absolute URL only of the portal's own origin, as its path", () => {
    expect(safeRedirectPath(`${OWN}/orders/WM-100023?x=1`, OWN)).toBe("/orders/WM-100023?x=1");
    expect(safeRedirectPath(OWN, OWN)).toBe("/");
    expect(safeRedirectPath(`${OWN}//evil.example`, OWN)).toBe("/");
    expect(safeRedirectPath(`${OWN}/orders`)).toBe("/");
  });
});
