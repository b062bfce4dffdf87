// Which Chromium the browser tests drive. `npx playwright install` downloads from the internet, which
// these machines cannot reach, so Debian's package (/usr/bin/chromium) is the usual answer.
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { env } from "../../lib/config/env";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * CHROMIUM_PATH when set (and then only that: a wrong path is an error to report, not to paper
 * over), else Playwright's own download when present, else Debian's package.
 */
export function findChromium(): string | undefined {
  const configured = env().CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  return [chromium.executablePath(), DEBIAN_CHROMIUM].find((candidate) => fs.existsSync(candidate));
}
