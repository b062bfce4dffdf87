// Makes sure the browser tests have a Chromium before `playwright test` starts: finds one, or, as
// root on Debian, installs the distribution's package (Playwright's own download needs the internet).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { env, inheritedEnvironment } from "../lib/config/env";
import { DEBIAN_CHROMIUM, findChromium } from "./support/chromium";

const log = (message: string) => console.log(`[chromium] ${message}`);

function versionOf(executable: string): string {
  const result = spawnSync(executable, ["--version"], { encoding: "utf8", timeout: 15_000 });
  return result.status === 0 ? result.stdout.trim() : "version unknown";
}

function run(command: string, args: string[]): void {
  log(`running: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...inheritedEnvironment(), DEBIAN_FRONTEND: "noninteractive" } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

function fail(lines: string[]): never {
  for (const line of lines) console.error(`[chromium] ${line}`);
  process.exit(1);
}

const found = findChromium();
if (found) {
  log(`using ${found} (${versionOf(found)})`);
  process.exit(0);
}

const configured = env().CHROMIUM_PATH;
if (configured) fail([`CHROMIUM_PATH is set to ${configured}, which does not exist. Point it at a Chromium executable or unset it.`]);

const canInstall = process.getuid?.() === 0 && fs.existsSync("/etc/debian_version");
if (!canInstall) {
  fail([
    "No Chromium found for the browser tests (looked at CHROMIUM_PATH, Playwright's own browser and /usr/bin/chromium).",
    "Install one:   sudo apt-get install chromium      (Debian/Ubuntu)",
    "or point to one:   CHROMIUM_PATH=/path/to/chromium npm test",
  ]);
}

log("no Chromium found; installing Debian's chromium package (about 30 s)");
const startedAt = Date.now();
run("apt-get", ["update"]);
run("apt-get", ["install", "-y", "chromium"]);
const installed = findChromium();
if (!installed) fail([`apt-get installed chromium but ${DEBIAN_CHROMIUM} is still missing.`]);
log(`installed ${installed} (${versionOf(installed)}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
