import { describe, expect, it } from "vitest";
import { caseTopic, noStepsWords } from "./topic";

describe("what a case without steps says instead", () => {
  it("says a case the portal opened outside a task came from the portal, and one from another channel did not", () => {
    expect(noStepsWords("PORTAL")).toBe("This case was opened in the portal, not during a task, so there are no steps to show.");
    expect(noStepsWords("PHONE")).toBe("This case did not start from a task in the portal.");
  });
});

describe("a case's topic in words", () => {
  it("says what the customer asked for and during which task", () => {
    expect(caseTopic("talk_to_person:return:method")).toBe("Asked for a person during “Start a return”");
    expect(caseTopic("talk_to_person")).toBe("Asked for a person");
    expect(caseTopic("callback:refund_overdue:order_tracking:detail")).toBe("Asked to be called back during “Track an order”");
    expect(caseTopic("chat:high_risk:order_cancellation:lines")).toBe("Asked to chat during “Cancel an order”");
    expect(caseTopic("reach_out:return:resolution")).toBe("Accepted our offer of help during “Start a return”");
  });

  it("names an inbound contact's reason and channel, a problem report's kind, and the portal's own requests", () => {
    expect(caseTopic("return_refund:inbound_chat")).toBe("Return or refund (a chat)");
    expect(caseTopic("complaint:inbound_phone")).toBe("Complaint (a call)");
    expect(caseTopic("problem_report:damaged:needs_photo")).toBe("A problem with an order: something arrived damaged");
    expect(caseTopic("return_review:frequent_returner,high_value")).toBe("A return to check before it is accepted: the customer has returned often lately, and its value is over the review threshold");
    expect(caseTopic("return_review:renamed_since")).toBe("A return to check before it is accepted");
    expect(caseTopic("buy_again")).toBe("Order the same items again");
  });

  it("reads a code it does not know as words rather than failing", () => {
    expect(caseTopic("something_new:detail")).toBe("something new · detail");
  });
});
