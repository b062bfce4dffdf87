// Where the portal may send a browser that asked to go somewhere (?callbackUrl=, next-auth's
// redirects): only a path on this site. Anything a browser could read as another site goes home:
// `//host` and `/\host` (browsers treat a backslash as a slash), the same hidden behind
// percent-encoding or a tab, absolute URLs of other origins, and schemes such as javascript:.
const HOME = "/";
const PLACEHOLDER_ORIGIN = "http://waymark.invalid";

/** A same-site path (with its query and fragment) for `target`, or "/" when it could leave the site. */
export function safeRedirectPath(target: unknown, ownOrigin?: string): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2000) return HOME;
  // next-auth hands over absolute URLs of our own origin; nothing else absolute is ours.
  const path = ownOrigin && (target === ownOrigin || target.startsWith(`${ownOrigin}/`)) ? target.slice(ownOrigin.length) || HOME : target;
  // Each decoding a later reader might apply must still be a plain path.
  let decoded = path;
  for (let round = 0; round < 3; round++) {
    if (!isPlainPath(decoded)) return HOME;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return HOME;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (!isPlainPath(decoded)) return HOME;
  // The URL parser's own normalisation (dot segments) must not produce `//host` either.
  const resolved = new URL(path, PLACEHOLDER_ORIGIN);
  const result = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return resolved.origin === PLACEHOLDER_ORIGIN && isPlainPath(result) ? result : HOME;
}

function isPlainPath(value: string): boolean {
  // Browsers drop tabs and newlines inside URLs, so "/\t/host" would become "//host".
  return value.startsWith("/") && !value.startsWith("//") && !/[\\\u0000-\u001f\u007f]/.test(value);
}
