import { describe, expect, it } from "vitest";
import { impliedFirstStep } from "./journeys";

describe("where an attempt enters its funnel", () => {
  it("enters the address book's funnel at the book when the attempt starts at the form or at a save (the book after the last save started none)", () => {
    expect(impliedFirstStep("address_change", "form")).toBe("list");
    expect(impliedFirstStep("address_change", "saved")).toBe("list");
    expect(impliedFirstStep("address_change", "list")).toBeNull();
  });

  it("enters a form's funnel at the form when a second save on it starts the attempt", () => {
    expect(impliedFirstStep("password_change", "saved")).toBe("form");
    expect(impliedFirstStep("session_management", "signed_out")).toBe("list");
  });

  it("implies nothing for a task whose later steps are reached without its first (an order opened from the home page is no order history)", () => {
    expect(impliedFirstStep("order_tracking", "detail")).toBeNull();
    expect(impliedFirstStep("address_change", "confirmation")).toBeNull();
  });
});
