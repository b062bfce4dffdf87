// Counting in words with the language's plural rules (Intl.PluralRules), never `n === 1 ? "" : "s"`:
// "1 minute", "0 minutes", "2 devices". Framework-free, for pages, emails and PDFs alike.
const RULES = new Intl.PluralRules("en-GB");

/** The word that goes with `count`: `one` when the rules say so, `other` (default: `one` + "s") otherwise. */
export function plural(count: number, one: string, other = `${one}s`): string {
  return RULES.select(count) === "one" ? one : other;
}

/** `count` and its word: countOf(1, "minute") is "1 minute", countOf(1500, "item") is "1,500 items". */
export function countOf(count: number, one: string, other?: string): string {
  return `${count.toLocaleString("en-GB")} ${plural(count, one, other)}`;
}
