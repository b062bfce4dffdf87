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
