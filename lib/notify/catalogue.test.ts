import { describe, expect, it } from "vitest";
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
