// What the demo's simulated customers say (lib/voice): an effort score now and then at the end of
// a task, a one-tap "what went wrong?" after some refusals, and a few words beside the reason they
// tapped as they left. Scores fall with each error on the way and on a phone where the task is
// harder there (a step with its own mobile model); most people answer nothing, and few write.
// Drawn from the attempt's own voice stream, so the rest of the history is the same without it.
import type { Prisma } from "@/lib/generated/prisma/client";
import { lastStep, type JourneyType } from "@/lib/trail/journeys";
import type { DeviceClassValue } from "@/lib/trail/store";
import { EFFORT_NOT_ASKED, EFFORT_SCALE, type WentWrongReason } from "@/lib/voice/questions";
import type { LeaveReason } from "@/lib/voice/reasons";
import type { Random } from "./random";

type Voice = Prisma.CustomerVoiceCreateManyInput;
type On = { journeyId: string; type: JourneyType; device: DeviceClassValue; at: Date };

const ANSWERS_EFFORT = 0.3;
const WRITES_ABOUT_EFFORT = 0.3;
const TAPS_WHAT_WENT_WRONG = 0.3;
const WRITES_ABOUT_FAILURE = 0.2;
const WRITES_AS_THEY_LEAVE = 0.3;

const EFFORT_WORDS = {
  hard: [
    "Took me three goes, the page kept telling me something was wrong without saying what.",
    "Far too many steps for something this simple.",
    "The buttons are tiny on my phone, kept pressing the wrong one.",
    "I wasn't sure it had worked until the email came.",
    "Had to look up my order number in another tab.",
  ],
  middling: [
    "Fine in the end but I had to read it twice.",
    "OK, though it asked for things it should already know.",
    "Got there. The wording on the last step was confusing.",
    "Worked, a bit slow to load on mobile data.",
  ],
  easy: ["Quick and easy, thanks.", "Much easier than calling.", "Done in a minute.", "Clear and simple.", "Easy, no problems."],
} as const;

const FAILURE_WORDS: Record<WentWrongReason, readonly string[]> = {
  error_stopped: ["It just said something went wrong.", "Error every time I pressed the button."],
  unclear: ["Didn't understand which option applied to me.", "What does 'resolution' even mean here?"],
  missing_info: ["It wanted a number I don't have to hand.", "Asked for the postcode format of another country."],
  too_slow: ["Spinner for ages and then nothing."],
  other: ["Not sure what happened."],
};

const LEAVING_WORDS: Record<LeaveReason, readonly string[]> = {
  cant_find: ["Where do I change just one item?", "Couldn't find the option for a damaged parcel.", "No way to pick a different day."],
  didnt_work: ["Page froze after I pressed continue.", "It keeps saying my card was declined but the bank says fine."],
  rather_person: ["Easier to explain on the phone.", "I want someone to confirm it's done."],
  money_worry: ["When do I get my money back?", "I've been charged twice I think.", "Is my refund actually on its way?"],
  other: ["Just wanted to check something."],
};

const HARD_ON_PHONES: ReadonlySet<JourneyType> = new Set(["return", "payment_method", "address_change", "password_reset"]);

/** An effort answer for a task done to the end, or none (most customers skip the question). */
export function effortAnswer(rng: Random, on: On, errorsOnTheWay: number): Voice | null {
  if (Object.hasOwn(EFFORT_NOT_ASKED, on.type) || !rng.chance(ANSWERS_EFFORT)) return null;
  const expected = 6.1 - 1.6 * errorsOnTheWay - (on.device === "MOBILE" && HARD_ON_PHONES.has(on.type) ? 1.3 : 0);
  const score = Math.min(EFFORT_SCALE.max, Math.max(EFFORT_SCALE.min, Math.round(expected + (rng.next() + rng.next() + rng.next() - 1.5) * 1.6)));
  const words = score <= 3 ? EFFORT_WORDS.hard : score <= 5 ? EFFORT_WORDS.middling : EFFORT_WORDS.easy;
  const comment = rng.chance(WRITES_ABOUT_EFFORT) ? rng.pick(words) : null;
  return { kind: "EFFORT", journeyId: on.journeyId, journeyType: on.type, step: lastStep(on.type), deviceClass: on.device, score, comment, createdAt: on.at };
}

/** The one-tap answer after a refusal, or none. */
export function wentWrongAnswer(rng: Random, on: On & { step: string; errorCode: string }): Voice | null {
  if (!rng.chance(TAPS_WHAT_WENT_WRONG)) return null;
  const typed = on.errorCode === "validation_error" || on.errorCode === "address_not_found";
  const reason = rng.weighted<WentWrongReason>(
    typed
      ? [["unclear", 40], ["missing_info", 30], ["error_stopped", 15], ["other", 15]]
      : [["error_stopped", 45], ["unclear", 20], ["too_slow", 15], ["missing_info", 10], ["other", 10]],
  );
  const comment = rng.chance(WRITES_ABOUT_FAILURE) ? rng.pick(FAILURE_WORDS[reason]) : null;
  return { kind: "WENT_WRONG", journeyId: on.journeyId, journeyType: on.type, step: on.step, deviceClass: on.device, reason, comment, createdAt: on.at };
}

/** A few words beside the reason tapped on leaving (the reason itself travels on the exit), or none. */
export function leavingWords(rng: Random, on: On & { step: string; reason: LeaveReason }): Voice | null {
  if (!rng.chance(WRITES_AS_THEY_LEAVE)) return null;
  return { kind: "EXIT_REASON", journeyId: on.journeyId, journeyType: on.type, step: on.step, deviceClass: on.device, reason: on.reason, comment: rng.pick(LEAVING_WORDS[on.reason]), createdAt: on.at };
}
