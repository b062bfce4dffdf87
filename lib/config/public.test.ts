import { afterEach, describe, expect, it, vi } from "vitest";
import { supportContact } from "./public";

describe("supportContact", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is the demo's line and address until configured", () => {
    expect(supportContact()).toEqual({ phone: "+44 1234 567890", phoneHref: "tel:+441234567890", email: "help@waymark.example", emailHref: "mailto:help@waymark.example" });
  });

  it("shows the configured number as written and dials it without its spaces", () => {
    vi.stubEnv("NEXT_PUBLIC_SUPPORT_PHONE", " +44 20 7946 0000 ");
    vi.stubEnv("NEXT_PUBLIC_SUPPORT_EMAIL", "care@shop.example");
    expect(supportContact()).toEqual({ phone: "+44 20 7946 0000", phoneHref: "tel:+442079460000", email: "care@shop.example", emailHref: "mailto:care@shop.example" });
  });
});
