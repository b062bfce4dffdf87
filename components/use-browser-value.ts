import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * A value only the browser knows (a cookie, the address of a prerendered page), read without failing
 * hydration: `serverValue` on the server and while hydrating, so both renders match; `read()` from
 * the render after. Nothing re-reads it later: it suits values that do not change under the page.
 */
export function useBrowserValue<T>(read: () => T, serverValue: T): T {
  return useSyncExternalStore(noSubscription, read, () => serverValue);
}

/** False on the server and during hydration, true once the page's script has taken over. */
export function useHydrated(): boolean {
  return useBrowserValue(() => true, false);
}
