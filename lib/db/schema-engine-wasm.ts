// Loads @prisma/schema-engine-wasm (the same engine as Prisma's native schema-engine binary, built
// to wasm) in plain Node 20. Prisma's CLI cannot download its native binary offline; this can.
import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

// The engine arms setTimeout()s it never clears; track them so a finished script exits at once.
const engineTimers = new Set<NodeJS.Timeout>();
export function clearEngineTimers() {
  for (const t of engineTimers) clearTimeout(t);
  engineTimers.clear();
}

let loaded: Promise<typeof SchemaEngine> | undefined;
/** wasm-bindgen keeps global state: instantiate once per process. */
export function loadSchemaEngineClass(): Promise<typeof SchemaEngine> {
  return (loaded ??= instantiate());
}

async function instantiate(): Promise<typeof SchemaEngine> {
  // Without this registry a panic surfaces as "reading 'set_message'" instead of its message.
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      process.stderr.write(`[schema-engine panic] ${message}\n`);
    },
  };
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await fs.readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const imports: Record<string, unknown> = { ...runtime };
  for (const key of Object.keys(imports).filter((k) => k.startsWith("__wbg_setTimeout_"))) {
    imports[key] = (fn: () => void, ms: number) => {
      const t = setTimeout(() => {
        engineTimers.delete(t);
        fn();
      }, ms >>> 0);
      engineTimers.add(t);
      return t;
    };
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
  });
  (runtime as unknown as { __wbg_set_wasm(e: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return runtime.SchemaEngine;
}
