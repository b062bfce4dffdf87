// The browser's side of the trail as a test sees it: the attempt a tab holds for a task
// (lib/trail/browser.ts keeps it in session storage from the first step's view until the outcome).
import type { Page } from "@playwright/test";
import type { JourneyType } from "../../lib/trail/journeys";

const key = (type: JourneyType) => `waymark:journey:${type}`;

/** The attempt id this tab holds for the task, once the page is hydrated and its step recorded. */
export async function journeyIdInTab(page: Page, type: JourneyType): Promise<string> {
  const handle = await page.waitForFunction((storageKey) => {
    const raw = sessionStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as { id: string }).id : null;
  }, key(type));
  return (await handle.jsonValue()) as string;
}

/**
 * Waits until the tab has recorded the task's outcome and let go of the attempt (a tracking page
 * shown, a confirmation seen). A test that navigates away before that would drop the step it
 * means to take: the page's view is recorded only once it is hydrated.
 */
export async function journeyEndedInTab(page: Page, type: JourneyType): Promise<void> {
  await page.waitForFunction((storageKey) => sessionStorage.getItem(storageKey) === null, key(type));
}
