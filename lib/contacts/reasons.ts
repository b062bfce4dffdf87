// The channels and reasons an agent logs a contact with: plain constants, safe for the browser's
// form (lib/contacts/contacts.ts is server code, and reaches the database through cases).
export const CONTACT_CHANNELS = ["PHONE", "CHAT", "EMAIL", "SOCIAL"] as const;

export const CONTACT_REASONS = {
  order_status: "Where is my order",
  cancel_order: "Cancel an order",
  change_address: "Change an address",
  return_refund: "Return or refund",
  payment: "Payment or balance",
  account: "Account or password",
  complaint: "Complaint",
  other: "Something else",
} as const;

export type ContactReason = keyof typeof CONTACT_REASONS;

/** What was said, in the agent's words: no longer than a refused form keeps (formValues). */
export const CONTACT_NOTE_MAX_LENGTH = 500;
export const CONTACT_REASON_CODES = Object.keys(CONTACT_REASONS) as [ContactReason, ...ContactReason[]];
