// The communication preferences a customer can set, their labels and defaults. Framework-free and
// free of server code, so the preferences form can use it in the browser.

export type Purpose = "ORDER_UPDATES" | "PROACTIVE_NOTICES" | "MARKETING" | "ANALYTICS";
export type Channel = "EMAIL" | "SMS" | "PHONE" | "POST" | "ANALYTICS";

export type PreferenceDefinition = { purpose: Purpose; channel: Channel; label: string; grantedByDefault: boolean; needsPhone?: boolean };

// Order updates by email are part of the service unless turned off; everything else is opt-in.
// Analytics follows User.analyticsConsent, whose default is set where the account is created.
export const PREFERENCES: readonly PreferenceDefinition[] = [
  { purpose: "ORDER_UPDATES", channel: "EMAIL", label: "By email", grantedByDefault: true },
  { purpose: "ORDER_UPDATES", channel: "SMS", label: "By text message", grantedByDefault: false, needsPhone: true },
  // Told before asking (a late parcel, a slow refund, a closing return window): optional, one click to stop.
  { purpose: "PROACTIVE_NOTICES", channel: "EMAIL", label: "By email", grantedByDefault: true },
  { purpose: "PROACTIVE_NOTICES", channel: "SMS", label: "By text message", grantedByDefault: false, needsPhone: true },
  { purpose: "MARKETING", channel: "EMAIL", label: "By email", grantedByDefault: false },
  { purpose: "MARKETING", channel: "SMS", label: "By text message", grantedByDefault: false, needsPhone: true },
  { purpose: "MARKETING", channel: "PHONE", label: "By phone call", grantedByDefault: false, needsPhone: true },
  { purpose: "MARKETING", channel: "POST", label: "By post", grantedByDefault: false },
  { purpose: "ANALYTICS", channel: "ANALYTICS", label: "Share how I use the portal (without my name, email or address) with our analytics service, PostHog", grantedByDefault: true },
];

export const PURPOSE_LABEL: Record<Purpose, string> = {
  ORDER_UPDATES: "Updates about my orders and returns",
  PROACTIVE_NOTICES: "Heads-ups before I ask: a late parcel, a slow refund, the last days to return",
  MARKETING: "Offers and news",
  ANALYTICS: "Helping us improve the portal",
};

export const preferenceKey = (p: { purpose: Purpose; channel: Channel }) => `${p.purpose}.${p.channel}`;
