// What a person can do for the customer on each task, said on the task's one help entry (the
// "Need a hand?" disclosure), so the offer is specific to the step rather than a row of channels.
// Framework-free: the help entry renders it in the browser.
import type { JourneyType } from "@/lib/trail/journeys";

export const HELP_OFFER: Record<JourneyType, string> = {
  signup: "We can create your account with you, or find one you already have.",
  password_reset: "We can check your identity and get you back into your account.",
  profile_update: "We can change your name or phone number for you.",
  password_change: "We can help you choose a new password or secure your account.",
  email_change: "We can move your account to a new email address once we have checked it is you.",
  communication_preferences: "We can explain what we send and change it for you.",
  session_management: "We can sign out a lost or stolen device for you.",
  address_change: "We can check an address we do not recognise or save it for you.",
  payment_method: "We can tell you why a card was refused and what to try next.",
  payment_method_change: "We can change or remove a saved card for you.",
  order_tracking: "We can find out where an order is, chase the carrier, or put right a problem with one that has arrived.",
  order_cancellation: "We can stop an order for you, even one that is on its way.",
  delivery_address_change: "We can ask the carrier to deliver somewhere else.",
  balance_payment: "We can take the payment with you or explain the balance.",
  problem_report: "We can look at a damaged, missing or wrong item with you and put it right.",
  return: "We can start the return with you, or look at an item the portal cannot take back.",
  return_tracking: "We can tell you where your return and your refund are.",
  return_cancellation: "We can cancel a return for you once a label is already on its way.",
  data_export: "We can explain what data we hold and send you a copy.",
  account_deletion: "We can close your account for you and tell you what we keep, and why.",
};

/** When a page belongs to no task: what anyone can be helped with. */
export const GENERAL_HELP_OFFER = "We can help with any order, return, refund or account question.";
