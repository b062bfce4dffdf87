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
