import { describe, expect, it } from "vitest";
import { sanitizeForPostHog } from "./ingest";

describe("sanitizeForPostHog", () => {
  it("keeps PostHog's own and the trail's properties with every URL scrubbed, nested ones too, and drops what is personal or any other name", () => {
    const token = "Zk3v9Qx2LmP0aB7cD4eF6gH8iJ1kL3mN";
    const sent = {
      distinct_id: "d-1",
      token: "phc_x",
      $current_url: `https://shop.example/reset-password/${token}?from=mail`,
      $set: { email: "ada@example.com" },
      $initial_person_info: { u: `https://shop.example/reset-password/${token}` },
      $session_entry_pathname: `/reset-password/${token}`,
      $screen_width: 390,
      journey_id: "j-1",
      step: "items",
      email: "ada@example.com",
      $title: "Order for ada@example.com",
      favourite_colour: "green",
      // $-names PostHog never sends, from a hand-written client: whatever they hold stays here.
      $name: "Ada Lovelace",
      $phone: "+44 7700 900461",
      $customer_note: "my card ends 4242",
    };
    expect(sanitizeForPostHog(sent)).toEqual({
      distinct_id: "d-1",
      token: "phc_x",
      $current_url: "https://shop.example/reset-password/[token]",
      $initial_person_info: { u: "https://shop.example/reset-password/[token]" },
      $session_entry_pathname: "/reset-password/[token]",
      $screen_width: 390,
      journey_id: "j-1",
      step: "items",
    });
  });
});
