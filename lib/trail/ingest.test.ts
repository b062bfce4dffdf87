import { describe, expect, it } from "vitest";
import { sanitizeForPostHog } from "./ingest";

describe("sanitizeForPostHog", () => {
  it("keeps PostHog's and the trail's properties with every URL scrubbed, nested ones too, and drops what is personal", () => {
    const token = "Zk3v9Qx2LmP0aB7cD4eF6gH8iJ1kL3mN";
    const sent = {
      distinct_id: "d-1",
      token: "phc_x",
      $current_url: `https://shop.example/reset-password/${token}?from=mail`,
      $set: { email: "ada@example.com" },
      $referrer_info: { pages: [`/reset-password/${token}`] },
      journey_id: "j-1",
      step: "items",
      email: "ada@example.com",
      $title: "Order for ada@example.com",
      favourite_colour: "green",
    };
    expect(sanitizeForPostHog(sent)).toEqual({
      distinct_id: "d-1",
      token: "phc_x",
      $current_url: "https://shop.example/reset-password/[token]",
      $referrer_info: { pages: ["/reset-password/[token]"] },
      journey_id: "j-1",
      step: "items",
    });
  });
});
