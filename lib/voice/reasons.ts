// Why customers leave a task for another channel: one list, tapped by the customer as they leave
// and chosen by the agent who logs their call, chat, email or social message, so the two can be
// counted together per step. Framework-free and without zod: the help entry on every page reads
// it, so anything it imports is in every page's first load.

export const LEAVE_REASONS = {
  cant_find: "I couldn't find what I need",
  didnt_work: "Something didn't work",
  rather_person: "I'd rather talk to a person",
  money_worry: "I'm worried about my money",
  other: "Something else",
} as const;

export type LeaveReason = keyof typeof LEAVE_REASONS;
export const LEAVE_REASON_CODES = Object.keys(LEAVE_REASONS) as [LeaveReason, ...LeaveReason[]];

export function isLeaveReason(value: unknown): value is LeaveReason {
  return typeof value === "string" && Object.hasOwn(LEAVE_REASONS, value);
}

/** Comments are for reading, not essays: long enough for a sentence or two. */
export const MAX_COMMENT_LENGTH = 500;
