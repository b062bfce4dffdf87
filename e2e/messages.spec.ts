// A customer hears of a change outside the page they made it on: cancelling an order brings a
// message to the message centre (the header's bell counts it, on a phone too) and an email to the
// real mail server the portal sends to (a local SMTP capture); the refund Stripe then confirms is a
// second message. Each arrives exactly once, and the email's link leads (through the click recorder) to the order.
import { formatMoney } from "../lib/format/money";
import { customerWithOrders } from "./support/customers";
import { BASE_URL } from "./support/env";
import { BACKGROUND, chooseEverythingToCancel, DEMO_PASSWORD, expect, signInDirectly, test } from "./support/fixtures";
import { mailTo } from "./support/messages";

const PRICE_MINOR = 2400;

test("a cancelled order is told once in the message centre and by email, and so is its refund", async ({ page, request }) => {
  const customer = await customerWithOrders([{ lines: [{ name: "Canvas Tote", priceMinor: PRICE_MINOR }], status: "PROCESSING" }]);
  const [order] = customer.orders;
  // The fixture's order: one line, 20 % tax, no shipping; all of it was paid and comes back.
  const refund = formatMoney(PRICE_MINOR + Math.round(PRICE_MINOR * 0.2), "GBP");
  await signInDirectly(page, customer.email, DEMO_PASSWORD);
  await page.goto("/");
  const bell = page.getByTestId("messages-bell");
  await expect(bell).toHaveAccessibleName("Messages: No unread messages");

  await page.goto(`/orders/${order.number}/cancel`);
  await chooseEverythingToCancel(page);
  await page.getByRole("button", { name: "Cancel these items" }).click();
  await expect(page.getByText("Your order is cancelled.")).toBeVisible();
  const notice = await page.getByText("Your order is cancelled.").textContent();

  const cancelled = `Your order ${order.number} is cancelled`;
  const refunded = `Your refund of ${refund} is on its way`;
  // The emails: each once, with HTML and text linking to the order at the portal's public URL.
  await expect.poll(async () => (await mailTo(request, customer.email)).map((m) => m.subject).toSorted(), BACKGROUND).toEqual([cancelled, refunded].toSorted());
  const email = (await mailTo(request, customer.email)).find((m) => m.subject === cancelled)!;
  // Its button goes through the click recorder on the public URL, which leads on to the order.
  const href = /href="([^"]*\/m\/[^"]+)"/.exec(email.html)?.[1] ?? "";
  expect(href.startsWith(`${BASE_URL}/m/`)).toBe(true);
  const followed = await request.get(href, { maxRedirects: 0 });
  expect([followed.status(), followed.headers().location]).toEqual([303, `/orders/${order.number}`]);
  expect(email.text).toContain(`We are refunding ${refund}`);
  // The page and the message promise the same time for the refund to show (the policy's).
  const within = /your bank usually shows it (within \d+–\d+ working days)/.exec(email.text.replace(/\s+/g, " "))?.[1];
  expect(within).toBeDefined();
  expect(notice).toContain(`goes back to your card ${within}.`);

  // The bell counts both (the header is drawn again on the next page), and leads to them.
  await page.goto("/orders");
  await expect(bell).toHaveAccessibleName("Messages: 2 unread messages");
  await expect(page.getByTestId("messages-unread")).toHaveText("2 unread messages");
  await bell.click();
  await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  const messages = page.getByTestId("messages").getByRole("listitem");
  await expect(messages).toHaveCount(2);
  const message = messages.filter({ has: page.getByRole("heading", { name: cancelled }) });
  await expect(message).toContainText(`We are refunding ${refund}`);
  await expect(message.getByText("New")).toBeVisible();

  // Following the message marks it read and opens the order it is about.
  await message.getByRole("link", { name: `See your order: ${cancelled}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(bell).toHaveAccessibleName("Messages: 1 unread message");

  // A message that is not theirs, or none, is the portal's own "Page not found", with a way on.
  const unknown = await page.goto("/messages/nosuchmessage0000000000");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to your overview" })).toBeVisible();
});
