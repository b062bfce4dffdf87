import Link from "@/components/link";

/**
 * The header's way into the message centre, with the unread count. The count is drawn on the icon
 * for the eye, named in the link for screen readers, and said again in a polite live region so a
 * change (a message read, all marked read) is announced without moving focus.
 */
export function MessagesBell({ unread }: { unread: number }) {
  const shown = unread > 99 ? "99+" : String(unread);
  const said = unread === 0 ? "No unread messages" : unread === 1 ? "1 unread message" : `${unread} unread messages`;
  return (
    <>
      <Link href="/messages" className="bell" aria-label={`Messages: ${said}`} data-testid="messages-bell">
        <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {unread > 0 ? <span className="bell-count" aria-hidden="true">{shown}</span> : null}
      </Link>
      <span className="sr-only" aria-live="polite" data-testid="messages-unread">{said}</span>
    </>
  );
}
