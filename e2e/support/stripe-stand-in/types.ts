// What the Stripe stand-in keeps, records and offers to tests: its objects and events, the
// requests it received, its webhook deliveries, the test cards and the handle a test holds.
export interface StripeStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where signed webhooks are POSTed; without it events are only recorded (see events()). */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Pause before each webhook delivery, so a page can be seen waiting for it. */
  webhookDelayMs?: number;
  /** PaymentIntent ids with this prefix exist on first use (see the header). */
  adoptPaymentIntentPrefix?: string;
}

export type StripeObject = { id: string; object: string } & Record<string, unknown>;

export type StandInEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: StripeObject };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

export interface RecordedStripeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  params: Record<string, unknown>;
  /** The HTTP status answered; 0 when the connection was dropped (outage "reset"). */
  status: number;
  /** Answered from the idempotency store: the same key and parameters as an earlier request. */
  replayed: boolean;
  receivedAt: string;
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  attempts: number;
  /** The last HTTP status, or null when the portal could not be reached. */
  status: number | null;
  deliveredAt: string | null;
}

export type OutageMode = false | "503" | "reset";

export const TEST_CARDS = {
  visa: { brand: "visa", last4: "4242", label: "Visa ending 4242", outcome: "succeeds" },
  mastercard: { brand: "mastercard", last4: "4444", label: "Mastercard ending 4444", outcome: "succeeds" },
  charge_declined: { brand: "visa", last4: "0341", label: "Visa ending 0341 (saves, later charges declined)", outcome: "charges_declined" },
  declined: { brand: "visa", last4: "0002", label: "Visa ending 0002 (declined)", outcome: "declined" },
} as const;
export type TestCard = keyof typeof TEST_CARDS;

export interface StripeStandIn {
  url: string;
  port: number;
  requests(): RecordedStripeRequest[];
  events(): StandInEvent[];
  webhookDeliveries(): WebhookDelivery[];
  object(id: string): StripeObject | undefined;
  setDown(mode: OutageMode): void;
  /** Executes the next `count` API requests, then drops the connection instead of answering. */
  dropResponses(count: number): void;
  /** A card the customer saved earlier, attached without going through a hosted page. */
  attachTestCard(customerId: string, card?: TestCard): StripeObject;
  /** Acts as the customer on the hosted page; returns where Stripe would redirect (null when declined). */
  completeCheckout(sessionId: string, card?: TestCard): string | null;
  /** Resolves when every queued webhook has been delivered (or given up). */
  webhooksSettled(): Promise<void>;
  clear(): void;
  close(): Promise<void>;
}

export type Params = Record<string, unknown>;
export type Reply = { status: number; body: unknown };
/** Who asked: the request id and idempotency key an event names. */
export type RequestRef = { id: string | null; idempotencyKey: string | null };
export type Context = { params: Params; request: { id: string; idempotencyKey: string | null } };
