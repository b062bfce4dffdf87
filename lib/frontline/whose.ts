// Whose an attempt is, when it names no customer, in the words the live view and the attempt's
// page both use. Framework-free: the live board draws it in the browser.

/** A visitor who never signed in, or a customer whose account has gone since (lib/frontline/attempt.ts). */
export function unnamedAttemptBy(accountDeleted: boolean): string {
  return accountDeleted ? "A customer whose account has since been deleted" : "A visitor, not signed in";
}
