// Imported (lazily) before the browser parses anything with zod. zod compiles object parsers with
// new Function when it may; under our CSP (no 'unsafe-eval') its probe is a reported violation.
// Interpreted parsing is as correct, and fast enough for forms.
import { z } from "zod";

z.config({ jitless: true });
