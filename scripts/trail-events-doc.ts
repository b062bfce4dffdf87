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
  JOURNEY_TYPES,
  abandonEventName,
  exitEventName,
  messageEventName,
  stepEventName,
  type JourneyType,
  type MessageAction,
  type StepAction,
} from "../lib/trail/journeys";
import { DASHBOARD_NAME, FUNNEL_DATE_FROM, MANAGED_TAG, funnelInsightDefinitions, type FunnelInsightDefinition } from "../lib/trail/posthog-funnels";
import { LEAVE_REASON_CODES } from "../lib/voice/reasons";

export const TRAIL_EVENTS_DOC_PATH = fileURLToPath(new URL("../docs/trail-events.md", import.meta.url));

type EventKind = StepAction | "exited" | "abandoned";

// What each property means and which events carry it, as lib/trail/browser.ts, server.ts and
// abandon.ts send them. Only these trail properties (and PostHog's own `$` properties) reach PostHog.
const PROPERTIES: Array<{ name: string; kinds: EventKind[]; meaning: string }> = [
  { name: "journey_id", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "UUID of one attempt at the task; a new attempt starts after completion, exit or abandonment (30 minutes idle)." },
  { name: "journey_type", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "The journey's key, e.g. `return`." },
  { name: "step", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "The step's name; on `_exited` and `_abandoned`, the step the customer was on." },
  { name: "step_index", kinds: ["viewed", "completed", "failed", "exited"], meaning: "0-based position of `step` in the journey." },
  { name: "action", kinds: ["viewed", "completed", "failed"], meaning: "`viewed`, `completed` or `failed`, as in the event name." },
  { name: "error_code", kinds: ["failed"], meaning: "Short machine-readable reason (at most 64 characters), never free text." },
  { name: "channel", kinds: ["exited"], meaning: `Where the customer went instead: ${EXIT_CHANNELS.map((channel) => `\`${channel}\``).join(", ")}.` },
  { name: "exit_reason", kinds: ["exited"], meaning: `Why the customer left, when they tapped a reason (optional): ${LEAVE_REASON_CODES.map((code) => `\`${code}\``).join(", ")} (lib/voice/reasons.ts). Their own words stay in the portal.` },
  { name: "device_class", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "`MOBILE`, `TABLET` or `DESKTOP`: registered on every browser event, set by the server on steps and abandonments (exits recorded by the server do not carry it)." },
  { name: "source", kinds: ["viewed", "completed", "failed", "exited", "abandoned"], meaning: "`server` when the server recorded the event (a data change, an agent handover, an abandonment); absent on browser events." },
  { name: "analytics_consent", kinds: ["viewed", "completed", "failed", "exited"], meaning: "Registered on browser events of signed-in customers; events with `false` stay in the portal and never reach PostHog." },
  { name: "after_error", kinds: ["abandoned"], meaning: "`true` when the last thing that happened before the silence was a failed step." },
];

const KIND_DESCRIPTION: Record<EventKind, string> = {
  viewed: "the customer saw the step",
  completed: "the customer finished the step",
  failed: "the step went wrong for the customer",
  exited: "the customer left the task for another channel",
  abandoned: "no activity on the attempt for `ABANDON_AFTER_MINUTES` (30 by default)",
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
    `Steps, in order: ${steps.map((step, index) => `${index + 1}. \`${step}\``).join(", ")}. ${completionOf(type) === "view" ? "Completed in the browser, when the last step's page shows." : "Completed on the server, when the submit that achieves it succeeds."}`,
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
    "<!-- Generated by scripts/trail-events-doc.ts (npm run docs:trail) from lib/trail/journeys.ts and lib/trail/posthog-funnels.ts. Do not edit by hand. -->",
    "",
    "# Trail events",
    "",
    `Every self-service task is a journey with ordered steps, declared once in \`lib/trail/journeys.ts\`. The portal records each step in its own database and forwards it to PostHog (for customers who did not decline analytics). ${JOURNEY_TYPES.length} journeys are declared.`,
    "",
    "## Naming convention",
    "",
    "- `<journey>_<step>_<action>`, in snake_case: the journey and step first, a past-tense action last: `viewed`, `completed` or `failed` (e.g. `return_items_viewed`).",
    "- `<journey>_exited`: the customer left the task for another channel (phone, chat, …).",
    "- `<journey>_abandoned`: the attempt saw no activity for `ABANDON_AFTER_MINUTES`; sent by the server.",
    "- A journey is complete when its last step is `completed`.",
    "",
    "## When an event is sent (the journey rule, enforced in `lib/trail/attempts.ts`)",
    "",
    "- An attempt (`journey_id`) belongs to the customer, or before sign-in the device, that started it; events naming someone else's attempt are refused.",
    "- A step is `viewed` once per attempt, when the customer is first shown it.",
    "- The last step is the task's outcome: reaching it sends `<last>_viewed` (unless the last step was already shown, as a form) then `<last>_completed`, in that order, whether the server knew it (a submit) or the browser (a page view, for journeys marked below).",
    "- Nothing after an attempt ends (completed, exited, abandoned) joins it: a confirmation page's view of the recorded outcome is dropped; anything else starts the next attempt, with a new `journey_id`.",
    "",
    "## Properties",
    "",
    "| Property | Meaning |",
    "| --- | --- |",
    ...PROPERTIES.map((property) => `| \`${property.name}\` | ${property.meaning} |`),
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
