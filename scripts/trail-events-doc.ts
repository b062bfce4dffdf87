// Writes docs/trail-events.md from the journey declarations and the PostHog funnel definitions,
// so the list of events can never drift from what the portal sends. `npm run docs:trail`;
// lib/trail/trail-events-doc.test.ts fails while the committed file is out of date.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  EXIT_CHANNELS,
  FUNNEL_CONVERSION_WINDOW_DAYS,
  JOURNEYS,
  MESSAGE_ACTIONS,
  completionOf,
  impliedFirstStep,
  lastStep,
  JOURNEY_TYPES,
  abandonEventName,
  exitEventName,
  messageEventName,
  rageTapEventName,
  RAGE_TAP_ELEMENTS,
  RAGE_TAP_RULE,
  stepEventName,
  type JourneyType,
  type MessageAction,
  type StepAction,
} from "../lib/trail/journeys";
import { PAGE_SUBJECT_KEYS, pageSubjectOf, type PageSubjectProperties } from "../lib/trail/page-subject";
import { DASHBOARD_NAME, FUNNEL_DATE_FROM, MANAGED_TAG, funnelInsightDefinitions, type FunnelInsightDefinition } from "../lib/trail/posthog-funnels";
import { EFFORT_QUESTION, EFFORT_SCALE } from "../lib/voice/questions";
import { LEAVE_REASON_CODES } from "../lib/voice/reasons";
import { EFFORT_SURVEY_ID } from "../lib/voice/voice";

export const TRAIL_EVENTS_DOC_PATH = fileURLToPath(new URL("../docs/trail-events.md", import.meta.url));

type EventKind = StepAction | "exited" | "abandoned" | "rage_tapped";

// What each property means and which events carry it, as lib/trail/browser.ts, server.ts and
// abandon.ts send them. Only these trail properties (and PostHog's own `$` properties) reach PostHog.
const PROPERTIES: Array<{ name: string; kinds: EventKind[]; meaning: string }> = [
  { name: "journey_id", kinds: ["viewed", "completed", "failed", "exited", "abandoned", "rage_tapped"], meaning: "UUID of one attempt at the task; a new attempt starts after completion, exit or abandonment (30 minutes idle)." },
  { name: "journey_type", kinds: ["viewed", "completed", "failed", "exited", "abandoned", "rage_tapped"], meaning: "The journey's key, e.g. `return`." },
  { name: "step", kinds: ["viewed", "completed", "failed", "exited", "abandoned", "rage_tapped"], meaning: "The step's name; on `_exited`, `_abandoned` and `_rage_tapped`, the step the customer was on." },
  { name: "step_index", kinds: ["viewed", "completed", "failed", "exited", "rage_tapped"], meaning: "0-based position of `step` in the journey." },
  { name: "action", kinds: ["viewed", "completed", "failed"], meaning: "`viewed`, `completed` or `failed`, as in the event name." },
  { name: "error_code", kinds: ["failed"], meaning: "Short machine-readable reason (at most 64 characters), never free text." },
  { name: "channel", kinds: ["exited"], meaning: `Where the customer went instead: ${EXIT_CHANNELS.map((channel) => `\`${channel}\``).join(", ")}.` },
  { name: "exit_reason", kinds: ["exited"], meaning: `Why the customer left, when they tapped a reason (optional): ${LEAVE_REASON_CODES.map((code) => `\`${code}\``).join(", ")} (lib/voice/reasons.ts). Their own words stay in the portal.` },
  { name: "element", kinds: ["rage_tapped"], meaning: `The kind of element tapped: ${RAGE_TAP_ELEMENTS.map((element) => `\`${element}\``).join(", ")}; never its text, label or value.` },
  { name: "taps", kinds: ["rage_tapped"], meaning: `How many taps the burst had when it was noticed (${RAGE_TAP_RULE.taps} within ${RAGE_TAP_RULE.withinMs / 1000} s).` },
  { name: "device_class", kinds: ["viewed", "completed", "failed", "exited", "abandoned", "rage_tapped"], meaning: "`MOBILE`, `TABLET` or `DESKTOP`: registered on every browser event, set by the server on steps and abandonments (exits recorded by the server do not carry it)." },
  { name: "source", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "`server` when the server recorded the event (a data change, an agent handover, an abandonment); absent on browser events." },
  { name: "analytics_consent", kinds: ["viewed", "completed", "failed", "exited", "rage_tapped"], meaning: "Registered on browser events of signed-in customers; events with `false` stay in the portal and never reach PostHog." },
  { name: "after_error", kinds: ["abandoned"], meaning: "`true` when the last thing that happened before the silence was a failed step." },
];

// The properties the portal adds to a browser event from its page's address (lib/trail/page-subject.ts,
// by way of lib/trail/ingest.ts): kept in its own trail only, never among those above.
const PAGE_SUBJECT: Record<keyof PageSubjectProperties, { meaning: string; examplePath: string }> = {
  order_number: { meaning: "The order the page is about", examplePath: "/orders/WM-209300/return" },
  return_number: { meaning: "The return the page is about", examplePath: "/returns/RT-100042" },
};

function pageSubjectRow(key: keyof PageSubjectProperties): string {
  const { meaning, examplePath } = PAGE_SUBJECT[key];
  return `| \`${key}\` | ${meaning}: \`${examplePath}\` gives \`${pageSubjectOf(examplePath)[key]}\`. |`;
}

const KIND_DESCRIPTION: Record<EventKind, string> = {
  viewed: "the customer saw the step",
  completed: "the customer finished the step",
  failed: "the step went wrong for the customer",
  exited: "the customer left the task for another channel",
  abandoned: "no activity on the attempt for `ABANDON_AFTER_MINUTES` (30 by default)",
  rage_tapped: `the customer tapped one element ${RAGE_TAP_RULE.taps} times or more within ${RAGE_TAP_RULE.withinMs / 1000} s (a note on the attempt, not a step; flags them on the live frontline view)`,
};

const MESSAGE_MEANING: Record<MessageAction, string> = {
  sent: "the message was handed to its channel: the mail queue, the SMS provider, or the message centre",
  opened: "read in the message centre, or the email's open pixel loaded (only in emails to customers who allow analytics)",
  clicked: "its link was followed (from the email, the text message or the message centre), into the page and journey it is about",
};

function propertiesOf(kind: EventKind): string {
  return PROPERTIES.filter((property) => property.kinds.includes(kind))
    .map((property) => `\`${property.name}\``)
    .join(", ");
}

function journeyEventRows(type: JourneyType): string[] {
  const steps = JOURNEYS[type].steps as readonly string[];
  const stepRows = steps.flatMap((step, index) =>
    (["viewed", "completed", "failed"] as const).map((action) => `| \`${stepEventName(type, step, action)}\` | ${index + 1}. ${step} | ${KIND_DESCRIPTION[action]} | ${propertiesOf(action)} |`),
  );
  return [
    "| Event | Step | Meaning | Properties |",
    "| --- | --- | --- | --- |",
    ...stepRows,
    `| \`${exitEventName(type)}\` | any (\`step\`) | ${KIND_DESCRIPTION.exited} | ${propertiesOf("exited")} |`,
    `| \`${abandonEventName(type)}\` | any (\`step\`) | ${KIND_DESCRIPTION.abandoned} | ${propertiesOf("abandoned")} |`,
    `| \`${rageTapEventName(type)}\` | any (\`step\`) | ${KIND_DESCRIPTION.rage_tapped} | ${propertiesOf("rage_tapped")} |`,
  ];
}

function insightLine(definition: FunnelInsightDefinition): string {
  const { series, breakdownFilter, funnelsFilter } = definition.query.source;
  const breakdownKind = breakdownFilter.breakdown_type === "hogql" ? "the HogQL expression" : "the event property";
  const takenFrom = funnelsFilter.breakdownAttributionType === "step" ? `funnel step ${(funnelsFilter.breakdownAttributionValue ?? 0) + 1}` : "the first step";
  return `- **${definition.name}**: ${series.map((node) => `\`${node.event}\``).join(" → ")}; breakdown: ${breakdownKind} \`${breakdownFilter.breakdown}\`, taken from ${takenFrom}.`;
}

function journeySection(type: JourneyType, definitions: FunnelInsightDefinition[]): string[] {
  const steps = JOURNEYS[type].steps as readonly string[];
  return [
    `### ${JOURNEYS[type].label} (\`${type}\`)`,
    "",
    `Steps, in order: ${steps.map((step, index) => `${index + 1}. \`${step}\``).join(", ")}. ${completionOf(type) === "view" ? "Completed in the browser, when the last step's page shows." : "Completed on the server, when the submit that achieves it succeeds."}${impliedFirstStep(type, lastStep(type)) ? ` An attempt that starts at a later step (a later screen opened at its address, or the task started again on the page showing the last outcome) sends \`${type}_${steps[0]}_viewed\` first.` : ""}`,
    "",
    ...journeyEventRows(type),
    "",
    "PostHog insights:",
    "",
    ...definitions.filter((definition) => definition.journey === type).map(insightLine),
    "",
  ];
}

/** The whole of docs/trail-events.md; a pure function of the declarations. */
export function renderTrailEventsDoc(): string {
  const definitions = funnelInsightDefinitions();
  const lines = [
    "<!-- Generated by scripts/trail-events-doc.ts (npm run docs:trail) from lib/trail/journeys.ts, lib/trail/page-subject.ts and lib/trail/posthog-funnels.ts. Do not edit by hand. -->",
    "",
    "# Trail events",
    "",
    `Every self-service task is a journey with ordered steps, declared once in \`lib/trail/journeys.ts\`. The portal records each step in its own database and forwards it to PostHog (for customers who did not decline analytics). ${JOURNEY_TYPES.length} journeys are declared.`,
    "",
    "## Naming convention",
    "",
    "- `<journey>_<step>_<action>`, in snake_case: the journey and step first, a past-tense action last: `viewed`, `completed` or `failed` (e.g. `return_items_viewed`).",
    "- `<journey>_exited`: the customer left the task for another channel (phone, chat, …).",
    "- `<journey>_abandoned`: the attempt saw no activity for `ABANDON_AFTER_MINUTES`; sent by the server. An attempt waiting on an emailed link that can still be used (a password reset's, an email change's) stays open until the link expires.",
    "- `<journey>_rage_tapped`: the customer tapped one element again and again on a step; a note on the attempt that funnels ignore.",
    "- A journey is complete when its last step is `completed`.",
    "",
    "## When an event is sent (the journey rule, enforced in `lib/trail/attempts.ts`)",
    "",
    "- An attempt (`journey_id`) belongs to the customer, or before sign-in the device, that started it; events naming someone else's attempt are refused. Only a visitor's tasks (signing up, resetting a forgotten password) start without a signed-in customer.",
    "- Every `_completed` is recorded by the server, which knows the outcome; one sent by a browser is refused at `/ingest`, as is a browser event's `source`. A browser event's `journey_type`, `step`, `step_index` and `action` are those of its name.",
    "- A refused submit is `_failed` on the step the customer is on (the form), never on the step it would have reached. When no browser records the customer's steps (a visitor who has not answered the analytics banner), a refusal before the last step records that step's `_viewed` first, as a completion does; a refused last step is the outcome failing (a payment declined), not a page seen.",
    "- A step is `viewed` once per attempt, when the customer is first shown it. A task whose first step is choosing an order (marked below) opened straight at a later step (a message's link, a bookmark) has made that choice by its address: the attempt starts with the first step's `viewed`, a moment before the screen's own.",
    "- The last step is the task's outcome: reaching it sends `<last>_viewed` (unless the last step was already shown, as a form) then `<last>_completed`, in that order, whether the server knew it (a submit) or the browser (a page view, for journeys marked below).",
    "- Nothing after an attempt ends (completed, exited, abandoned) joins it: a confirmation page's view of the recorded outcome is dropped; anything else starts the next attempt, with a new `journey_id`.",
    "",
    "## Properties",
    "",
    "| Property | Meaning |",
    "| --- | --- |",
    ...PROPERTIES.map((property) => `| \`${property.name}\` | ${property.meaning} |`),
    "",
    "### Kept in the portal only",
    "",
    "A step, exit or rage tap the browser sends from an order's or a return's page also carries, in the portal's own trail, the number the page's address names, read from the event's `$pathname` (`lib/trail/page-subject.ts`). The case an agent's offer of help opens on the attempt names the order or return of its latest such page, when it is the customer's own. These are never forwarded to PostHog, which sees the page's route template only, and they are taken off the trail when the account is deleted, as they would lead to the order's delivery address.",
    "",
    "| Property | Meaning |",
    "| --- | --- |",
    ...PAGE_SUBJECT_KEYS.map(pageSubjectRow),
    "",
    "## Funnels",
    "",
    `The PostHog funnels are created by \`npm run posthog:funnels\` on the dashboard **${DASHBOARD_NAME}**, tagged \`${MANAGED_TAG}\`. Each journey has two:`,
    "",
    "- **by device**: every step's `_viewed` event in declared order, then the last step's `_completed`, broken down by `device_class`. It shows at which step customers stop.",
    "- **exits by step and channel**: the first step's `_viewed`, then `<journey>_exited`, broken down by the step customers left from and the channel they went to (both read from the exit event). Its conversion is the share of customers who started the task and left it for another channel; within a breakdown value everyone exited, so compare the values' sizes, not their rates.",
    "",
    `How PostHog counts them (ordered funnel, conversion window ${FUNNEL_CONVERSION_WINDOW_DAYS} days, date range \`${FUNNEL_DATE_FROM}\`):`,
    "",
    "- The funnels count **attempts**, not persons: they aggregate by `properties.journey_id` (`funnelAggregateByHogQL`), as the portal's own funnels do. A customer who tries a task twice is two attempts.",
    "- An attempt enters the funnel with a step-1 event in the date range and counts at step N when it did steps 2 … N after it, each step after the previous one, all within the conversion window of that step-1 event. Other events in between do not matter (ordered, not strict).",
    "- Repeated events count once: a step viewed three times in one attempt counts that attempt once at that step.",
    "- An event out of order does not advance the person: a step-3 event before step 2 counts for nothing; only a step-3 event after step 2 does.",
    `- Exits and conversions later than ${FUNNEL_CONVERSION_WINDOW_DAYS} days after the step-1 event are not counted.`,
    "",
    "## Help, and what customers tell us",
    "",
    "- `<journey>_help_shown`, `_help_accepted`, `_help_dismissed`, `_help_withheld`: help offered on the customer's step and what they did with it, sent by the server. `intervention` says which help: a rule of help in place (`lib/experience/interventions.ts`), or `agent_reach_out` when an agent offered it from the live frontline view; `outcome` repeats the action; `intervention_group` is `treatment` or `control` (the hold-out).",
    "- `<journey>_rule_overridden`: an agent set a business rule aside for the customer (`rule`, `override_id`).",
    `- \`survey sent\`: the answer to "${EFFORT_QUESTION}" at the end of a task (Customer Effort Score, ${EFFORT_SCALE.min} ${EFFORT_SCALE.minLabel.toLowerCase()} to ${EFFORT_SCALE.max} ${EFFORT_SCALE.maxLabel.toLowerCase()}), in PostHog's survey format so its survey views work: \`$survey_id\` \`${EFFORT_SURVEY_ID}\`, \`$survey_response\` (the score), \`journey_id\`, \`journey_type\`, \`step\`, \`device_class\`. Sent by the server for customers who allow analytics; the optional comment stays in the portal (\`/insights/effort\`).`,
    "- Why a customer left travels on `<journey>_exited` as `exit_reason`; the one-tap \"what went wrong?\" after a failed step and every comment stay in the portal.",
    "",
    "## Messages",
    "",
    "What became of each message the portal sent a customer (`lib/notify/`), recorded in the portal (`MessageEvent`) and forwarded to PostHog for customers who allow analytics. At most one of each per message and channel. Properties: `message_type` (the catalogue's key, e.g. `refund_issued`), `channel` (`email`, `sms` or `portal`), `journey_type` (the journey the message's link leads into) and `source` (`server`); never an address, a number or a name.",
    "",
    "| Event | Meaning |",
    "| --- | --- |",
    ...MESSAGE_ACTIONS.map((action) => `| \`${messageEventName(action)}\` | ${MESSAGE_MEANING[action]} |`),
    "",
    "## Journeys",
    "",
    ...JOURNEY_TYPES.flatMap((type) => journeySection(type, definitions)),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

function isRunDirectly(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url);
}

if (isRunDirectly()) {
  writeFileSync(TRAIL_EVENTS_DOC_PATH, renderTrailEventsDoc());
  console.log(`Wrote ${TRAIL_EVENTS_DOC_PATH}`);
}
