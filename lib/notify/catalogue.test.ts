import { afterEach, describe, expect, it, vi } from "vitest";
import { compose } from "./catalogue";

describe("messages read in the customer's zone", () => {
  it("dates a return's send-by day where the customer is, in the email and the text alike", () => {
    // 03:00 UTC on 10 Jan is still the evening of 9 Jan in New York.
    const data = { returnNumber: "RT-1", orderNumber: "WM-1", held: false, nextSteps: "", sendBy: "2027-01-10T03:00:00.000Z" };
    const newYork = compose("return_submitted", data, { timeZone: "America/New_York" });
    expect(newYork.paragraphs).toContain("Please send the items by 9 Jan 2027.");
    expect(newYork.sms).toContain("by 9 Jan 2027.");
    expect(compose("return_submitted", data, { timeZone: "Europe/Paris" }).sms).toContain("by 10 Jan 2027.");
  });
});

describe("a booked pickup's message", () => {
  const pickup = { returnNumber: "RT-1", method: "PICKUP", code: "PR5100000007" };

  it("names the day the carrier collects, the same day in every zone", () => {
    const told = compose("return_label_ready", { ...pickup, pickupDate: "2027-01-11" }, { timeZone: "America/Los_Angeles" });
    expect(told.paragraphs).toEqual(["The carrier collects the parcel from your address on 11 Jan 2027.", "Print the label from your return's page and stick it on the parcel (tracking PR5100000007)."]);
    expect(told.action.label).toBe("Get your label");
    expect(told.sms).toBe("Your pickup for return RT-1 is booked for 11 Jan 2027 (tracking PR5100000007). Print the label:");
  });

  it("says plainly when the carrier gave no day, and invents none", () => {
    for (const data of [{ ...pickup, pickupDate: null }, pickup]) {
      const told = compose("return_label_ready", data, { timeZone: null });
      expect(told.paragraphs[0]).toBe("The carrier collects the parcel from your address; they have not told us on which day.");
      expect(told.sms).toBe("Your pickup for return RT-1 is booked (tracking PR5100000007). Print the label:");
    }
  });
});

describe("return messages say what is true for the way the return goes back", () => {
  const submitted = { returnNumber: "RT-1", orderNumber: "WM-1", held: false, nextSteps: "", sendBy: "2027-01-10T12:00:00.000Z" };

  it("a submitted return names what follows for its method, and asks a pickup to send nothing by a day", () => {
    const zone = { timeZone: null };
    expect(compose("return_submitted", { ...submitted, method: "LABEL" }, zone).paragraphs.slice(1, 3)).toEqual(["Your return label follows in a separate message, usually within minutes.", "Please send the items by 10 Jan 2027."]);
    expect(compose("return_submitted", { ...submitted, method: "DROP_OFF", held: true }, zone).paragraphs[1]).toBe("One of our team checks it first, usually within one working day; you then get your drop-off code.");
    const pickup = compose("return_submitted", { ...submitted, method: "PICKUP" }, zone);
    expect(pickup.paragraphs.slice(1, 3)).toEqual(["Your pickup booking follows in a separate message, usually within minutes.", "The carrier collects the parcel from your address: you need not take it anywhere."]);
    expect(pickup.sms).toBe("Return RT-1 is submitted. The carrier collects it from your address.");
    expect([...pickup.paragraphs, pickup.sms].join(" ")).not.toMatch(/send the items|drop-off code|label/);
  });

  it("a cancelled return tells the customer what not to do for its method, and a pickup's never speaks of a label or code", () => {
    const cancelled = (method: "LABEL" | "DROP_OFF" | "PICKUP") => compose("return_cancelled", { returnNumber: "RT-1", orderNumber: "WM-1", method }, { timeZone: null });
    expect(cancelled("LABEL").paragraphs[0]).toBe("Your return RT-1 for order WM-1 is cancelled, as you asked. The items stay with you, so please do not send them with its label.");
    expect(cancelled("DROP_OFF").paragraphs[0]).toBe("Your return RT-1 for order WM-1 is cancelled, as you asked. The items stay with you, so please do not take them to a drop-off point with its code.");
    const pickup = cancelled("PICKUP");
    expect(pickup.paragraphs[0]).toBe("Your return RT-1 for order WM-1 is cancelled, as you asked. The items stay with you: if the carrier still calls to collect them, there is nothing to hand over.");
    expect(pickup.sms).toBe("Return RT-1 is cancelled, as you asked. If the carrier still calls, there is nothing to hand over.");
    expect([...pickup.paragraphs, pickup.sms].join(" ")).not.toMatch(/label|drop-off/);
  });

  it("a message queued before it named the method still reads, true for every method", () => {
    expect(compose("return_cancelled", { returnNumber: "RT-1", orderNumber: "WM-1" }, { timeZone: null }).paragraphs[0]).toMatch(/The items stay with you, so please do not send them back\.$/);
    expect(compose("return_submitted", submitted, { timeZone: null }).paragraphs[1]).toBe("Your label, drop-off code or pickup booking follows in a separate message, usually within minutes.");
  });
});

describe("messages give the support line and address the portal is configured with", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("tells a customer whose sign-in email changed where to call or write, by email and by text", () => {
    vi.stubEnv("NEXT_PUBLIC_SUPPORT_PHONE", "+44 20 7946 0000");
    vi.stubEnv("NEXT_PUBLIC_SUPPORT_EMAIL", "care@shop.example");
    const changed = compose("sign_in_email_changed", { maskedNewEmail: "n***@example.com" }, { timeZone: null });
    expect(changed.paragraphs).toContain("If you did not ask for this, contact us straight away: call +44 20 7946 0000 or write to care@shop.example.");
    expect(changed.sms).toBe("Your Waymark sign-in email was changed to n***@example.com. Not you? Call +44 20 7946 0000.");
    const late = compose("late_order", { orderNumber: "WM-1", newEstimate: "2027-01-10T12:00:00.000Z", cancellable: false }, { timeZone: null });
    expect(late.paragraphs.join(" ")).toContain("call +44 20 7946 0000.");
    expect(compose("late_order", { orderNumber: "WM-1", newEstimate: null, cancellable: false }, { timeZone: null }).sms).toBe("Order WM-1 is running late; a new date is to follow. Options:");
    expect([...changed.paragraphs, changed.sms, ...late.paragraphs].join(" ")).not.toMatch(/1234 567890|help@waymark\.example/);
  });
});
