// Module resolution hooks for module-trace.mjs (they run on Node's loader thread).
import fs from "node:fs";

let traceFile;

export function initialize(data) {
  traceFile = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  fs.appendFileSync(traceFile, `${resolved.url}\n`);
  return resolved;
}
