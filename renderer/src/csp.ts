import { z } from "zod";

/**
 * The page runs under a strict Content-Security-Policy (no eval). zod otherwise probes for
 * `new Function` to compile fast parsers, and although it catches the refusal, the browser still
 * reports a CSP violation. Jitless parsing never probes. Imported first by main.tsx, before any
 * schema parses anything.
 */
z.config({ jitless: true });
