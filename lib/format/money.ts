// Building an Intl.NumberFormat costs about a hundred times more than using one (tens of
// microseconds, times every amount on a page, on every request), so each (locale, currency) gets
// one for the life of the process. Currencies are ISO codes, a few hundred at most; the cap only
// guards against a caller passing arbitrary text.
const MAX_FORMATTERS = 500;
const formatters = new Map<string, { digits: number; format: Intl.NumberFormat }>();

function formatterFor(locale: string, currency: string) {
  const key = `${locale}|${currency}`;
  let found = formatters.get(key);
  if (!found) {
    const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    found = { digits, format: new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }) };
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, found);
  }
  return found;
}

/**
 * How many minor units a currency has, as Intl knows it (GBP 2, JPY 0, BHD 3): amounts are stored
 * in minor units, so dividing by 100 for every currency showed ¥1,500 as ¥15.
 */
export function minorDigits(currency: string): number {
  return formatterFor("en", currency).digits;
}

/** An amount in minor units, with its currency, as the customer reads it. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const { digits, format } = formatterFor(locale, currency);
  return format.format(minor / 10 ** digits);
}
