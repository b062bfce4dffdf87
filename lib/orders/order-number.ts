// How people type an order number: the number on the confirmation reads "WM-209300", but a
// customer or an agent reading it out types "209300", "wm 209300", "#209300" or "209 300". Every search by
// order number reads it through this one function, so the order history and the agent's customer
// search find the same order from the same text.

const ORDER_NUMBER_TYPED = /^#?\s*(?:WM[\s-]*)?(\d[\d\s]*)$/i;

/**
 * The order number's canonical form ("WM-209300") when `text` can only be an order number, or the
 * start of one ("2093" reads "WM-2093"); null for anything else (a product name, an email).
 * Only digits follow the prefix, so the result is safe in a LIKE pattern.
 */
export function orderNumberFrom(text: string): string | null {
  const match = ORDER_NUMBER_TYPED.exec(text.trim());
  return match ? `WM-${match[1].replace(/\s+/g, "")}` : null;
}

/**
 * Every writer of a new order number holds this transaction-level advisory lock while it reads the
 * highest number issued and takes the one after it, so two writers never take the same number.
 */
export const NEW_ORDER_NUMBER_LOCK = 7261001;

/**
 * The order number after `highest`, the highest one issued so far (null when none has been). Pages and
 * forms accept six digits only, so a seventh is refused rather than issued to an order nobody could open.
 */
export function orderNumberAfter(highest: string | null): string {
  const next = (highest ? Number(highest.slice(3)) : 100000) + 1;
  if (next > 999_999) throw new Error("Order numbers have run out of six digits: WM-999999 has been issued");
  return `WM-${String(next).padStart(6, "0")}`;
}
