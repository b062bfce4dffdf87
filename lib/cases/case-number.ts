// How people give a case number: messages print "CS-12A9E8BC"; read out over the phone it arrives as
// "cs 12a9e8bc", "12A9E8BC" or "#CS-12A9E8BC". The agent's case search and the case page read it
// through this one function.

const CASE_NUMBER_TYPED = /^#?\s*(?:CS[\s-]*)?([0-9A-F]{8})$/i;

/** The case number's canonical form ("CS-12A9E8BC") when `text` can only be one; null for anything else. */
export function caseNumberFrom(text: string): string | null {
  const match = CASE_NUMBER_TYPED.exec(text.trim());
  return match ? `CS-${match[1].toUpperCase()}` : null;
}
