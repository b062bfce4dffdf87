// The portal's links: next/link without prefetching as links scroll into view. Every page is
// rendered per request for the person signed in, so a viewport prefetch costs a request per
// visible link on every page view (twenty on a full order list), for a payload that is stale by
// the time it is used. A click still navigates in place; pointing at a link prefetches it.
import NextLink from "next/link";
import type { ComponentProps } from "react";

export default function Link({ prefetch = false, ...props }: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={prefetch} {...props} />;
}
