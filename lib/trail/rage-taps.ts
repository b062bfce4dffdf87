// Rage taps: the same element tapped or clicked again and again within a second, the sign of a
// page that did not answer the way the customer expected. The detector is plain logic (tested
// beside it); the listener is one capturing click handler on the document, attached once, a few
// hundred bytes with nothing loaded for it. What it reports names the kind of element only.
import { RAGE_TAP_RULE, type RageTapElement } from "./journeys";

/**
 * Feed it every tap (the element and when); it answers with the number of taps the moment a burst
 * on one element reaches the rule, once per burst: a burst goes on while each tap follows the
 * one before within the rule's window, and a tap elsewhere starts a new one.
 */
export function rageTapDetector(rule: { taps: number; withinMs: number } = RAGE_TAP_RULE) {
  let target: unknown = null;
  let times: number[] = [];
  let reported = false;
  return (element: unknown, at: number): number | null => {
    if (element !== target || (times.length > 0 && at - times[times.length - 1] > rule.withinMs)) {
      target = element;
      times = [];
      reported = false;
    }
    times = [...times.filter((t) => at - t <= rule.withinMs), at];
    if (reported || times.length < rule.taps) return null;
    reported = true;
    return times.length;
  };
}

type Tapped = { tagName: string; getAttribute(name: string): string | null };

/** The kind of element, from its tag and role: never its text, label or value. */
export function rageTapElement(element: Tapped): RageTapElement {
  const role = element.getAttribute("role");
  const tag = element.tagName.toLowerCase();
  if (tag === "label" || role === "radio" || role === "checkbox" || role === "option") return "choice";
  if (tag === "button" || role === "button" || role === "tab") return "button";
  if (tag === "a" || role === "link") return "link";
  if (tag === "input" || tag === "textarea" || tag === "select") return "field";
  if (/^(p|span|h[1-6]|li|td|th|dd|dt|strong|em)$/.test(tag)) return "text";
  return "other";
}

function isFormSubmit(element: Element): boolean {
  return (element instanceof HTMLButtonElement || element instanceof HTMLInputElement) && element.type === "submit" && element.form !== null;
}

let watching = false;

/** Listens for rage taps on this document (once, however often it is called). */
export function watchRageTaps(onRageTap: (element: RageTapElement, taps: number) => void) {
  if (watching || typeof document === "undefined") return;
  watching = true;
  const detect = rageTapDetector();
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? (event.target.closest("a,button,input,select,textarea,label,[role]") ?? event.target) : null;
      // A form's submit button is answered by the server each time, and repeated failures have
      // their own flag; a test (or a password manager) submitting again within a second is not rage.
      if (!target || isFormSubmit(target)) return;
      const taps = detect(target, event.timeStamp);
      if (taps) onRageTap(rageTapElement(target), taps);
    },
    { capture: true, passive: true },
  );
}
