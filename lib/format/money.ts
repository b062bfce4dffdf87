/**
 * How many minor units a currency has, as Intl knows it (GBP 2, JPY 0, BHD 3): amounts are stored
 * in minor units, so dividing by 100 for every currency showed ¥1,500 as ¥15.
 */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units, with its currency, as the customer reads it. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}
