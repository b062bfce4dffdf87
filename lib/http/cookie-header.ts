/** One cookie's value from a request's Cookie header, as the browser sent it; undefined when absent. */
export function cookieFromHeader(cookieHeader: string | null | undefined, name: string): string | undefined {
  const prefix = `${name}=`;
  return (cookieHeader ?? "").split(/;\s*/).find((pair) => pair.startsWith(prefix))?.slice(prefix.length);
}
