// The one way a server action is built. Anyone can call a server action with any arguments, so
// every action, whoever it is for, takes the same steps before its own few lines run:
//   1. refuse what no form of ours sends (no form, an id that is not text, a NUL byte in React's
//      own fields);
//   2. authenticate and authorise: a customer action sends the signed-out to sign in (or answers
//      with a message), a staff action answers 404 to everyone but its role;
//   3. answer a field holding a character that cannot be stored (a NUL byte pasted in) with that
//      field marked and everything typed kept, refuse JSON a field carries with such a character
//      in it, and parse the form with the action's zod schema; each refusal records the declared
//      trail step as failed (the schema's code, or `unreadable_form`);
//   4. run the handler with the parsed input, the principal and the caller's trail;
//   5. turn an unexpected failure into one calm message with a reference, logging the detail on
//      the server only (and, when the action declares its step, recording it as failed).
import crypto from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { currentPrincipal, requireCustomer, requireStaff, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { trailActor } from "@/lib/trail/actor";
import type { JourneyType } from "@/lib/trail/journeys";
import { ownerOfAttempt } from "@/lib/trail/linked-attempt";
import { attemptIdFor, journeyIdFrom, recordStep, type TrailActor } from "@/lib/trail/server";
import { fieldErrorsState, formFields, formValues, type FormState } from "./form-state";
import { isStorableJson, isStorableText, storableText } from "./input";

export const UNREADABLE_FORM: FormState = { status: "error", message: "We could not read this form. Reload the page and try again." };

const MAX_BOUND_ID_LENGTH = 200;

/** Every form's own fields hold text that can be stored, whatever the form; its schema then reads them. */
const STORABLE_FIELDS = z.record(z.string(), storableText());

/** Who may call the action. "public" forms (sign-up, password reset) act for nobody, even when signed in. */
type Audience = "public" | "visitor" | "customer" | "agent" | "analyst";

type PrincipalOf<W extends Audience> = W extends "public" ? null : W extends "visitor" ? Principal | null : Principal;

/** The caller's trail: the actor and the journey the form carries. */
export type ActionTrail = {
  actor: TrailActor;
  journeyId: string;
  /** Records the action's declared step as failed, in its own transaction (nothing else changed). */
  failed(errorCode: string): Promise<void>;
  /** Records the action's declared step inside the change's transaction: completed, or failed with a code. */
  step(tx: Prisma.TransactionClient, errorCode?: string | null): Promise<void>;
  /** The same step in the attempt an emailed link continues, recorded as that attempt's owner (lib/trail/linked-attempt.ts). */
  continuing(journeyId: string): Promise<ActionTrail>;
};

export type ActionContext<W extends Audience, I> = {
  input: I;
  principal: PrincipalOf<W>;
  trail: ActionTrail;
  formData: FormData;
  /** The id bound to the action (`action.bind(null, id)`); "" for an action without one. */
  id: string;
};

type Call = { id: string; formData: FormData };

export type ActionOptions<W extends Audience, S extends z.ZodType> = {
  /** Names the action in the server log. */
  name: string;
  who: W;
  /** Customer actions: where a signed-out caller signs in and comes back to. */
  signIn?: string | ((call: Call) => string);
  /** Customer actions that answer a signed-out caller (or staff) with this message instead of sending them to sign in. */
  signedOut?: string;
  /** The form's input; a function when the form itself says which of two shapes it is. */
  input?: S | ((formData: FormData) => S);
  /** What the schema reads; by default the form's text fields by name. */
  read?: (call: Call) => unknown | Promise<unknown>;
  /** The answer to input that does not parse; by default the first message per field, the form keeping what was typed. */
  invalid?: (error: z.ZodError, call: Call) => FormState;
  /**
   * The journey step of this action's form: recorded as failed when the input is refused or something
   * unexpected fails, before any handler runs (a handler records the step's completion, or the task's).
   * `refusedAt`: where a refusal is recorded when it is not that step, because the form stands on an
   * earlier one (a profile form on `form` whose submit completes `saved`): the customer is refused on
   * the step they see, never on one they did not reach.
   */
  trail?: { type: JourneyType; step: string; refusedAt?: string; invalidInput?: string | ((error: z.ZodError) => string) };
};

type Handler<W extends Audience, S extends z.ZodType> = (context: ActionContext<W, z.output<S>>) => Promise<FormState>;

/** Answers the first problem alone, for forms whose fields are not shown one by one (choices, lists). */
export function firstIssue(fallback: string, keepValues = false) {
  return (error: z.ZodError, call: Call): FormState => ({ status: "error", message: error.issues[0]?.message ?? fallback, ...(keepValues ? { values: formValues(call.formData) } : {}) });
}

/** An id a page of ours binds: text of a bounded length. Checked before anything else, as it names where a signed-out caller signs in. */
function isBoundId(id: unknown): id is string {
  return typeof id === "string" && id.length <= MAX_BOUND_ID_LENGTH && isStorableText(id);
}

/** Whether the call is one a form of ours sends; the fields' own values are checked by unusableField. */
function isWellFormed(ids: readonly unknown[], formData: unknown): formData is FormData {
  if (!(formData instanceof FormData)) return false;
  if (!ids.every(isBoundId)) return false;
  return [...formData.entries()].every(([key, value]) => isStorableText(key) && (!key.startsWith("$") || typeof value !== "string" || isStorableText(value)));
}

/** The answer when a field holds what cannot be stored: that field marked, what was typed kept. */
function unusableField(formData: FormData): FormState | null {
  const checked = STORABLE_FIELDS.safeParse(formFields(formData));
  return checked.success ? null : fieldErrorsState(checked.error, formData);
}

async function authorise<W extends Audience>(options: ActionOptions<W, z.ZodType>, call: Call): Promise<{ principal: PrincipalOf<W> } | { refused: FormState }> {
  const who: Audience = options.who;
  switch (who) {
    case "public":
      return { principal: null as PrincipalOf<W> };
    case "visitor":
      return { principal: (await currentPrincipal()) as PrincipalOf<W> };
    case "agent":
    case "analyst":
      return { principal: (await requireStaff(who === "agent" ? "AGENT" : "ANALYST")) as PrincipalOf<W> };
    case "customer": {
      if (options.signedOut !== undefined) {
        const principal = await currentPrincipal();
        return principal?.role === "CUSTOMER" ? { principal: principal as PrincipalOf<W> } : { refused: { status: "error", message: options.signedOut } };
      }
      const signIn = typeof options.signIn === "function" ? options.signIn(call) : (options.signIn ?? "/");
      return { principal: (await requireCustomer(signIn)) as PrincipalOf<W> };
    }
  }
}

function trailFor(actor: TrailActor, journeyId: string, declared: ActionOptions<Audience, z.ZodType>["trail"]): ActionTrail {
  const at = () => {
    if (!declared) throw new Error("This action declares no trail step");
    return declared;
  };
  const step = async (tx: Prisma.TransactionClient, errorCode?: string | null) => {
    const { type, step, refusedAt } = at();
    await recordStep(tx, actor, { journeyId, type, ...(errorCode ? { step: refusedAt ?? step, action: "failed", errorCode } : { step, action: "completed" }) });
  };
  return {
    actor,
    journeyId,
    step,
    failed: (errorCode) => db().$transaction((tx) => step(tx, errorCode)),
    continuing: async (linked) => trailFor(await ownerOfAttempt(db(), actor, linked), linked, declared),
  };
}

async function execute<W extends Audience, S extends z.ZodType>(options: ActionOptions<W, S>, handler: Handler<W, S>, call: Call): Promise<FormState> {
  let trail: ActionTrail | null = null;
  try {
    const authorised = await authorise(options as ActionOptions<W, z.ZodType>, call);
    if ("refused" in authorised) return authorised.refused;
    const { principal } = authorised;
    const actor = await trailActor(principal);
    const carried = call.formData.get("journeyId");
    const journeyId = options.trail ? await attemptIdFor(db(), actor, options.trail.type, carried) : journeyIdFrom(carried);
    const callerTrail = trailFor(actor, journeyId, options.trail);
    trail = callerTrail;
    // Refused like input that does not parse, so the step's funnel counts every refused submit.
    const unreadable = async () => {
      if (options.trail) await callerTrail.failed("unreadable_form");
      return UNREADABLE_FORM;
    };
    const unusable = unusableField(call.formData);
    if (unusable) {
      if (options.trail) await callerTrail.failed(typeof options.trail.invalidInput === "string" ? options.trail.invalidInput : "validation_error");
      return unusable;
    }
    let input = undefined as z.output<S>;
    if (options.input) {
      const schema = typeof options.input === "function" ? options.input(call.formData) : options.input;
      const read = options.read ? await options.read(call) : formFields(call.formData);
      // A read may unpack JSON carried in a field, whose escapes ("\u0000") pass the fields' own
      // check: what it unpacked is checked the same way before any schema sees it.
      if (!isStorableJson(read)) return await unreadable();
      const parsed = schema.safeParse(read);
      if (!parsed.success) {
        if (options.trail) await callerTrail.failed(invalidInputCode(options.trail.invalidInput, parsed.error));
        return options.invalid ? options.invalid(parsed.error, call) : fieldErrorsState(parsed.error, call.formData);
      }
      input = parsed.data;
    }
    return await handler({ input, principal, trail: callerTrail, formData: call.formData, id: call.id });
  } catch (error) {
    unstable_rethrow(error);
    const reference = crypto.randomUUID().slice(0, 8);
    console.error(`[action:${options.name}] failed (ref ${reference})`, error);
    if (trail && options.trail) await trail.failed("unexpected_error").catch(() => undefined);
    return { status: "error", message: `Something went wrong on our side and nothing was changed. Please try again in a moment (reference ${reference}).` };
  }
}

/** The code a refused input is recorded with: the action's own (or the one it reads from the problem), else `validation_error`. */
function invalidInputCode(declared: string | ((error: z.ZodError) => string) | undefined, error: z.ZodError): string {
  return typeof declared === "function" ? declared(error) : (declared ?? "validation_error");
}

/** A form action for `useActionState(action, IDLE)`. */
export function formAction<W extends Audience, S extends z.ZodType = z.ZodUndefined>(options: ActionOptions<W, S>, handler: Handler<W, S>) {
  return async function action(_previous: FormState, formData: FormData): Promise<FormState> {
    // Declared parameters, not rest ones: the function's length says how a form calls it.
    if (arguments.length !== 2 || !isWellFormed([], formData)) return UNREADABLE_FORM;
    return execute(options, handler, { id: "", formData });
  };
}

/** A form action with an id bound to it by the page (`action.bind(null, id)`, a BoundFormAction), for `useActionState(action, IDLE)`. */
export function boundFormAction<W extends Audience, S extends z.ZodType = z.ZodUndefined>(options: ActionOptions<W, S>, handler: Handler<W, S>) {
  return async function action(id: string, _previous: FormState, formData: FormData): Promise<FormState> {
    if (arguments.length !== 3 || !isWellFormed([id], formData)) return UNREADABLE_FORM;
    return execute(options, handler, { id, formData });
  };
}

/**
 * A plain `<form action={action.bind(null, id)}>` button with nothing to answer: the page it
 * re-renders shows the outcome. A failure is logged with its reference and shown by the error page.
 */
export function boundSubmitAction<W extends Audience>(options: ActionOptions<W, z.ZodUndefined>, handler: Handler<W, z.ZodUndefined>) {
  return async function action(id: string): Promise<void> {
    if (!isBoundId(id)) return;
    await submitted(options, handler, id);
  };
}

/** A plain `<form action={action}>` button that sends nothing (its form is ignored): the page it re-renders shows the outcome. */
export function submitAction<W extends Audience>(options: ActionOptions<W, z.ZodUndefined>, handler: Handler<W, z.ZodUndefined>) {
  return async function action(): Promise<void> {
    await submitted(options, handler, "");
  };
}

async function submitted<W extends Audience>(options: ActionOptions<W, z.ZodUndefined>, handler: Handler<W, z.ZodUndefined>, id: string) {
  const state = await execute(options, handler, { id, formData: new FormData() });
  if (state.status === "error") throw new Error(state.message);
}
