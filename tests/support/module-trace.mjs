// Preloaded with `node --import`: records every module the process resolves, one URL a line, into
// the file named by MODULE_TRACE_FILE, so a test can tell which packages a command loaded.
import { register } from "node:module";

register("./module-trace-hooks.mjs", import.meta.url, { data: { file: process.env.MODULE_TRACE_FILE } });
