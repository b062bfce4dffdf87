import { describe, expect, it } from "vitest";
import { cardExpiry, cardLabel, isExpired } from "./payment-methods";

describe("how a saved card reads", () => {
  it("names the brand and the last four digits, never more", () => {
    expect(cardLabel({ brand: "visa", last4: "4242" })).toBe("Visa ending 4242");
    expect(cardLabel({ brand: "amex", last4: "0005" })).toBe("American Express ending 0005");
    expect(cardLabel({ brand: "something_new", last4: "1111" })).toBe("Card ending 1111");
  });

  it("shows the expiry as MM/YYYY and knows a card is valid through its expiry month", () => {
    expect(cardExpiry({ expMonth: 3, expYear: 2031 })).toBe("03/2031");
    const march2030 = new Date(Date.UTC(2030, 2, 31));
    expect(isExpired({ expMonth: 3, expYear: 2030 }, march2030)).toBe(false);
    expect(isExpired({ expMonth: 2, expYear: 2030 }, march2030)).toBe(true);
    expect(isExpired({ expMonth: 12, expYear: 2029 }, march2030)).toBe(true);
  });
});
