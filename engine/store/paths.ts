import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where saves live: `TALEWEAVE_SAVES_DIR`, else `saves/` in the repository this file is in. */
export function defaultSavesDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env["TALEWEAVE_SAVES_DIR"];
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  return resolve(fileURLToPath(new URL("../../saves", import.meta.url)));
}
