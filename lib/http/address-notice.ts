// A notice a page is sent to with its name in the address (?saved=added after an address is saved).
// The address is anyone's to write, and a plain lookup in the page's notices also finds what every
// object has: ?saved=constructor or ?updated=toString crashed the page, and ?changed=constructor
// showed an empty notice and asked how easy a task no one had done was.

/** The page's own notice of that name; nothing for any other name, or for a name given twice. */
export function addressNotice<T>(notices: Readonly<Record<string, T>>, name: string | string[] | undefined): T | undefined {
  return typeof name === "string" && Object.hasOwn(notices, name) ? notices[name] : undefined;
}
