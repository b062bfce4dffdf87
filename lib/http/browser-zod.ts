// Imported first by every client module that builds zod schemas (or awaited before parsing), so it
// runs before any schema exists in the browser. zod compiles object parsers with
// new Function when it may; under our CSP (no 'unsafe-eval') its probe is a reported violation.
// Interpreted parsing is as correct, and fast enough for forms.
import { z } from "zod";

z.config({ jitless: true });
