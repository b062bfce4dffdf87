// Chart colours: distinguishable with the common colour-vision deficiencies (Okabe–Ito), and never
// the only carrier of meaning: every chart sits next to a table with the same numbers.
export const COLOURS = {
  primary: "#2b4acb",
  mobile: "#d55e00",
  tablet: "#cc79a7",
  desktop: "#0072b2",
  phone: "#d55e00",
  chat: "#e69f00",
  email: "#56b4e9",
  social: "#cc79a7",
  helpCentre: "#009e73",
  person: "#882255",
  resolved: "#009e73",
  followed: "#e69f00",
  none: "#b8bcc6",
  median: "#0072b2",
  p90: "#9aa9d8",
} as const;

export const CHANNEL_COLOURS = { PHONE: COLOURS.phone, CHAT: COLOURS.chat, EMAIL: COLOURS.email, SOCIAL: COLOURS.social, HELP_CENTRE: COLOURS.helpCentre, PERSON: COLOURS.person } as const;
export const DEVICE_COLOURS = { MOBILE: COLOURS.mobile, TABLET: COLOURS.tablet, DESKTOP: COLOURS.desktop } as const;

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "–" : n.toLocaleString("en-GB"));

/** The category axis of a chart with bars top to bottom: narrow enough to leave the bars room on a 360 px phone. */
export const CATEGORY_AXIS = { type: "category", dataKey: "label", width: 120, interval: 0, tick: { fontSize: 12 } } as const;

/** A bar's least width: a 0 % bar shows as a sliver; drawn at nothing it read as "no data", which is a missing bar (null). */
export const visibleZero = (value: number | undefined | null) => (value === 0 ? 3 : 0);
