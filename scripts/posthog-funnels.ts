// Creates or updates Waymark's journey funnels and their dashboard in PostHog, from the journey
// declarations. Safe to run again: what is already right is left alone.
//
//   POSTHOG_PROJECT_ID=12345 POSTHOG_PERSONAL_API_KEY=phx_... npm run posthog:funnels
//   npm run posthog:funnels -- --dry-run      prints the definitions, calls nothing
//
// POSTHOG_API_HOST defaults to https://us.posthog.com (EU: https://eu.posthog.com).
import "./support/require-outside-next";
import { parseArgs } from "node:util";
import { envOrExit } from "../lib/config/env";
import { postHogApiAccess, type PostHogApiAccess } from "../lib/integrations/posthog";
import { PostHogApiError, dashboardDefinition, funnelInsightDefinitions, syncPostHogFunnels } from "../lib/trail/posthog-funnels";

const { values } = parseArgs({ options: { "dry-run": { type: "boolean", default: false } } });

if (values["dry-run"]) {
  console.log(JSON.stringify({ dashboard: dashboardDefinition(), insights: funnelInsightDefinitions() }, null, 2));
} else {
  await sync(readAccess());
}

function readAccess(): PostHogApiAccess {
  const access = postHogApiAccess(envOrExit("[posthog-funnels]"));
  if (access) return access;
  console.error(
    "[posthog-funnels] set POSTHOG_PROJECT_ID (PostHog → Settings → Project → Project ID) and POSTHOG_PERSONAL_API_KEY (PostHog → Settings → Personal API keys, with insight and dashboard write scopes)",
  );
  process.exit(1);
}

async function sync(access: PostHogApiAccess): Promise<void> {
  try {
    const result = await syncPostHogFunnels(access);
    console.log(`Dashboard "${dashboardDefinition().name}" (id ${result.dashboardId}): ${result.dashboard}`);
    for (const insight of result.insights.filter((each) => each.outcome !== "unchanged")) {
      console.log(`  ${insight.outcome.padEnd(7)} ${insight.name} (id ${insight.id})`);
    }
    console.log(`Insights: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`);
  } catch (error) {
    // PostHog's refusals are worded for this console already; anything else is a bug and keeps its stack.
    if (!(error instanceof PostHogApiError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
