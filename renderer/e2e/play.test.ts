import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Locator, type Page, type WebSocket as PageSocket } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebHost, type WebHost } from "../../app/web/index.js";
import { serveFile, type TestFileServer } from "../../engine/llm/local/test-file-server.js";

/**
 * The renderer in Debian's Chromium against the web host, with the real engine and a real GGUF
 * model (stories260K, which writes children's-story English and follows no instructions: this
 * checks the pipeline and the UI, not the prose). One game is played through every screen, and
 * each screen is photographed at 1024×640 and 1440×900 into test-output/screenshots/.
 */

const here = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(here, "../..");
const rendererDir = resolve(here, "..");
const screenshotsDir = join(repoDir, "test-output", "screenshots");
const sharedModels = process.env.TALEWEAVE_TEST_MODELS_DIR || resolve(repoDir, "../shared/models");
const CHROMIUM = "/usr/bin/chromium";
const MODEL = "stories260K.gguf";
/** The same weights under another name: switching a slot to it shows up in the usage ledger by name. */
const OTHER_MODEL = "stories260K-copy.gguf";
const SMALL = { width: 1024, height: 640 };
const LARGE = { width: 1440, height: 900 };
/** What the catalog offers in this test, served from 127.0.0.1: the same weights, fetched quickly or held mid-way. */
const DOWNLOAD = { file: "stories-downloaded.gguf", name: "Stories 260K (quick download)" };
const HELD = { file: "stories-held.gguf", name: "Stories 260K (held download)" };
const STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
/** Playing the walkthrough's opening with seed 7: a look, a walk, a notice, a talk, a walk. */
const FIRST_TURNS = ["look", "n", "read notice", "talk to elder", "e"];

let dir: string;
let host: WebHost;
let files: TestFileServer;
let context: BrowserContext;
let page: Page;
const frames: { kind: string; type?: string; id?: number }[] = [];
const problems: string[] = [];

beforeAll(async () => {
  const source = join(sharedModels, MODEL);
  if (!existsSync(source)) {
    throw new Error(`The end-to-end test needs ${MODEL}: looked for ${source}. Set TALEWEAVE_TEST_MODELS_DIR to the folder that holds it.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`The end-to-end test needs Chromium at ${CHROMIUM}: apt-get install -y chromium.`);

  dir = mkdtempSync(join(tmpdir(), "taleweave-e2e-"));
  const models = join(dir, "models");
  const data = join(dir, "data");
  mkdirSync(models);
  mkdirSync(data);
  copyFileSync(source, join(models, MODEL));
  copyFileSync(source, join(models, OTHER_MODEL));
  // One thread and short answers keep turns quick on two cores.
  const spec = { provider: "local", file: MODEL, contextSize: 2048, threads: 1 };
  const short = { maxTokens: 48 };
  writeFileSync(
    join(data, "settings.json"),
    JSON.stringify({
      version: 1,
      slots: { main: [spec], cot: [spec], utility: [spec] },
      routes: { narration: { routine: short, moderate: short, critical: short }, dialogue: { routine: short, moderate: short, critical: short } },
    }),
  );

  // A fresh build of the renderer as it is now, kept apart from renderer/dist. Vitest sets
  // NODE_ENV to "test", which would give React's development build; the page must be the real one.
  const dist = join(dir, "dist");
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(rendererDir, "vite.config.ts"), logLevel: "warn", build: { outDir: dist, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }

  // The catalog points at a server on 127.0.0.1, so the download runs for real and never leaves the machine.
  const modelBytes = readFileSync(source);
  files = await serveFile("stories.gguf", modelBytes);
  const catalogEntry = { slot: "utility", sizeBytes: modelBytes.length, sha256: STORIES_SHA256, sha256Source: "../shared/models/SHA256SUMS", licence: "MIT", notes: "The test model, downloaded through the Settings screen." };
  const catalogFile = join(dir, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify({
    version: 1,
    models: [
      { ...catalogEntry, id: "quick", name: DOWNLOAD.name, file: DOWNLOAD.file, source: `${files.base}/stories.gguf` },
      { ...catalogEntry, id: "held", name: HELD.name, file: HELD.file, source: `${files.base}/slow/stories.gguf` },
    ],
  }));

  host = await startWebHost({ port: 0, savesDir: join(dir, "saves"), dataDir: data, modelsDir: models, rendererDir: dist, catalogFile });
  mkdirSync(screenshotsDir, { recursive: true });

  context = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: SMALL,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("websocket", (socket: PageSocket) => {
    socket.on("framereceived", ({ payload }) => {
      const message = JSON.parse(String(payload)) as { kind: string; id?: number; event?: { type: string } };
      frames.push({ kind: message.kind, ...(message.event === undefined ? {} : { type: message.event.type }), ...(message.id === undefined ? {} : { id: message.id }) });
    });
  });
  page.on("pageerror", error => problems.push(`page error: ${error.message}`));
  page.on("console", message => {
    // React's development build and CSP reports show up here too: a clean page logs nothing.
    if (message.type() === "error" || message.type() === "warning" || message.type() === "info") problems.push(`console ${message.type()}: ${message.text()}`);
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await host?.close();
  files?.release();
  await files?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/**
 * Waits for a model to answer, on two slow cores, before calling the element missing — for less
 * than a test's timeout, so that a failure names the element it waited for.
 */
async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: "visible", timeout: 60_000 });
}

async function shoot(name: string, target: Page = page): Promise<void> {
  const size = target.viewportSize();
  await target.screenshot({ path: join(screenshotsDir, `${name}-${size?.width ?? 0}x${size?.height ?? 0}.png`) });
}

async function screen(name: "Game" | "Saves" | "Settings" | "Usage"): Promise<void> {
  await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name, exact: true }).click();
}

interface Streamed {
  /** narration-delta events arrived before the answer to game.submit. */
  readonly deltasBeforeAnswer: boolean;
  /** The most narration the page showed in the turn's draft before the entry was finished. */
  readonly draftChars: number;
}

type Watched = typeof globalThis & { draftChars?: number; draftWatcher?: MutationObserver };

/** Plays one line and waits for its entry, noting how its narration arrived. */
async function play(input: string, turn: number): Promise<Streamed> {
  const from = frames.length;
  // Watches the page itself: the draft's text grows while the turn is still being played.
  await page.evaluate(() => {
    const scope = globalThis as Watched;
    scope.draftWatcher?.disconnect();
    scope.draftChars = 0;
    scope.draftWatcher = new MutationObserver(() => {
      const text = document.querySelector(".entry-draft .streaming")?.textContent ?? "";
      scope.draftChars = Math.max(scope.draftChars ?? 0, text.length);
    });
    scope.draftWatcher.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const line = page.getByLabel("What do you do?");
  await line.fill(input);
  await line.press("Enter");
  await visible(page.getByRole("article", { name: `Turn ${turn}` }));
  const turnFrames = frames.slice(from);
  const answeredAt = turnFrames.findIndex(frame => frame.kind === "response");
  return {
    deltasBeforeAnswer: turnFrames.slice(0, answeredAt === -1 ? undefined : answeredAt).some(frame => frame.type === "narration-delta"),
    draftChars: await page.evaluate(() => (globalThis as Watched).draftChars ?? 0),
  };
}

describe("the renderer in Chromium", () => {
  it("needs the token: a page load without it is refused", async () => {
    const bare = `http://127.0.0.1:${host.port}/`;
    expect((await fetch(bare)).status).toBe(403);
    expect((await fetch(`${bare}?token=wrong-token-of-some-length`)).status).toBe(403);
    expect((await fetch(host.url)).status).toBe(200);
  });

  it("plays a game through every screen", async () => {
    await page.goto(host.url);
    await visible(page.getByRole("heading", { level: 1, name: "Taleweave" }));
    await shoot("01-title");

    // A new game: the game screen opens with the input line focused.
    await page.getByLabel("Save name").fill("e2e");
    await page.getByLabel("Seed (optional)").fill("7");
    await page.getByRole("button", { name: "Start" }).click();
    const line = page.getByLabel("What do you do?");
    await visible(line);
    expect(await line.evaluate(element => element === document.activeElement)).toBe(true);
    await visible(page.getByRole("article", { name: "Opening" }));

    // Five turns; the narration of each streams into the page before the turn's answer arrives.
    const streamed: Streamed[] = [];
    for (const [i, input] of FIRST_TURNS.entries()) streamed.push(await play(input, i + 1));
    for (const turn of streamed) {
      expect(turn.deltasBeforeAnswer).toBe(true);
      expect(turn.draftChars).toBeGreaterThan(0);
    }
    await shoot("02-game");

    // History: ↑ brings back the last line.
    await line.press("ArrowUp");
    expect(await line.inputValue()).toBe("e");
    await line.fill("");

    // Settings: the utility slot moves to the other model file, and the next turn uses it.
    await screen("Settings");
    const utility = page.getByRole("region", { name: "Utility" });
    await visible(utility.getByLabel("Model file"));
    await page.getByRole("region", { name: "Main" }).getByRole("button", { name: "Test main" }).click();
    await visible(page.getByRole("region", { name: "Main" }).getByText(/Answered in/));
    await utility.getByLabel("Model file").selectOption(OTHER_MODEL);
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText("Saved. The next model call uses these settings."));
    await shoot("03-settings");

    await screen("Game");
    expect(await play("look", 6)).toMatchObject({ deltasBeforeAnswer: true });
    await screen("Usage");
    const usageRow = page.getByRole("row").filter({ hasText: OTHER_MODEL }).filter({ hasText: "utility" });
    await visible(usageRow);
    await shoot("04-usage");

    // Save as, reload the page, load the copy.
    await screen("Saves");
    await page.getByLabel("New save name").fill("e2e-copy");
    await page.getByRole("button", { name: "Save as", exact: true }).click();
    await visible(page.getByRole("rowheader", { name: /e2e-copy/ }));
    await shoot("05-saves");

    await page.reload();
    await visible(page.getByRole("heading", { level: 1, name: "Taleweave" }));
    await page.getByRole("list", { name: "Load a game" }).getByRole("button", { name: "e2e-copy", exact: true }).click();
    await visible(page.getByRole("article", { name: "Turn 6" }));

    // Rewind the copy to turn 2 into a new save.
    await screen("Saves");
    await page.getByRole("button", { name: "Rewind e2e-copy" }).click();
    const rewind = page.getByRole("dialog", { name: "Rewind “e2e-copy”" });
    await visible(rewind);
    await rewind.getByLabel("After turn").selectOption("2");
    await rewind.getByLabel("New save name").fill("e2e-turn-2");
    await shoot("06-rewind");
    await rewind.getByRole("button", { name: "Rewind", exact: true }).click();
    await visible(page.getByRole("article", { name: "Turn 2" }));
    expect(await page.getByRole("article", { name: "Turn 3" }).count()).toBe(0);
    await visible(page.getByRole("complementary", { name: "Your situation" }).getByText("e2e-turn-2"));

    // Delete asks first.
    await screen("Saves");
    await page.getByRole("button", { name: "Delete e2e", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Delete “e2e”?" });
    await visible(confirm);
    await shoot("07-delete");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("rowheader", { name: "e2e", exact: true }).waitFor({ state: "detached" });

    expect(problems).toEqual([]);
  }, 600_000);

  it("downloads a catalog model from Settings with a progress bar, and cancels one, from the keyboard", async () => {
    await screen("Settings");
    const section = page.getByRole("region", { name: "Download models" });
    await visible(section.getByRole("heading", { name: DOWNLOAD.name }));

    // Enter on Download: the file arrives, is checked, and the slot pickers offer it.
    const download = section.getByRole("button", { name: `Download ${DOWNLOAD.name}` });
    await download.focus();
    await download.press("Enter");
    await visible(page.getByRole("region", { name: "Model downloaded" }));
    await visible(section.getByRole("listitem").filter({ hasText: DOWNLOAD.name }).getByText("In the models folder."));
    const picker = page.getByRole("region", { name: "Utility" }).getByLabel("Model file");
    await picker.locator(`option[value="${DOWNLOAD.file}"]`).waitFor({ state: "attached", timeout: 10_000 });

    // The held one stops part-way: its bar shows, the button under the focus turns into Cancel, and Enter stops it.
    const held = section.getByRole("button", { name: `Download ${HELD.name}` });
    await held.focus();
    await held.press("Enter");
    const cancel = section.getByRole("button", { name: `Cancel the download of ${HELD.name}` });
    await visible(cancel);
    await visible(section.getByRole("progressbar"));
    expect(await cancel.evaluate(element => element === document.activeElement)).toBe(true);
    await shoot("10-download");
    await cancel.press("Enter");
    await visible(page.getByRole("region", { name: "Download cancelled" }));
    await visible(section.getByRole("button", { name: `Download ${HELD.name}` }));
    expect(await section.getByRole("progressbar").count()).toBe(0);

    // Only the finished, checked file is in the models folder: nothing of the cancelled one.
    expect(readdirSync(join(dir, "models")).sort()).toEqual([MODEL, OTHER_MODEL, DOWNLOAD.file].sort());
    expect(problems).toEqual([]);
  }, 120_000);

  it("looks right at 1440×900", async () => {
    await page.setViewportSize(LARGE);
    await page.getByRole("button", { name: "Taleweave" }).click();
    await shoot("01-title");
    await screen("Game");
    await shoot("02-game");
    await screen("Settings");
    await visible(page.getByRole("region", { name: "Utility" }));
    await shoot("03-settings");
    await screen("Usage");
    await visible(page.getByRole("heading", { name: "By slot and model" }));
    await shoot("04-usage");
    await screen("Saves");
    await shoot("05-saves");
    expect(problems).toEqual([]);
  }, 120_000);

  it("keeps a story of 5,000 turns fast: only the entries near the viewport are in the page", async () => {
    const long = await context.newPage();
    await long.setViewportSize(SMALL);
    // Stands in for the desktop app's bridge, which the renderer prefers to the WebSocket: a host
    // whose one save has 5,000 turns.
    await long.addInitScript(() => {
      const view = {
        save: "long", worldTitle: "A long tale", turn: 5000, clock: "Day 90, 12:00", hp: 10, maxHp: 10, alive: true,
        location: { id: "here", name: "Here", description: "Still here." }, exits: [], people: [], inventory: [], quests: [], offline: true,
      };
      const log = Array.from({ length: 5001 }, (_, turn) => ({
        turn,
        input: turn === 0 ? "" : `wait ${turn}`,
        parts: [{ kind: "narration", text: `Time passes, turn ${turn}.${turn % 3 === 0 ? "\n\nA bird sings somewhere far away, and then it does not." : ""}` }],
      }));
      const answers: Record<string, unknown> = {
        "saves.list": [{ name: "long", worldId: "greyhollow", turn: 5000, updatedAt: "2025-01-01T00:00:00.000Z" }],
        "game.open": { view, log },
      };
      Object.assign(globalThis, {
        taleweave: {
          call: async (method: string) => {
            if (method in answers) return answers[method];
            throw new Error(`not in this test: ${method}`);
          },
          onEvent: () => () => undefined,
        },
      });
    });
    await long.goto(host.url);
    const started = Date.now();
    await long.getByRole("list", { name: "Load a game" }).getByRole("button", { name: "long" }).click();
    await long.getByRole("article", { name: "Turn 5000" }).waitFor({ state: "visible", timeout: 30_000 });
    const openedMs = Date.now() - started;
    const rendered = await long.locator(".log-item").count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(60);
    expect(openedMs).toBeLessThan(5_000);

    await shoot("08-long-story-end", long);

    // Halfway up, the entries there are in the page, laid out without gaps or overlaps.
    await long.getByLabel("Story so far").evaluate(element => {
      element.scrollTop = element.scrollHeight / 2;
    });
    await long.getByRole("article", { name: /^Turn 25\d\d$/ }).first().waitFor({ state: "visible", timeout: 10_000 });
    await shoot("09-long-story-middle", long);

    // Scrolling to the top brings the opening in and the end out.
    await long.getByLabel("Story so far").evaluate(element => {
      element.scrollTop = 0;
    });
    await long.getByRole("article", { name: "Opening" }).waitFor({ state: "visible", timeout: 10_000 });
    expect(await long.getByRole("article", { name: "Turn 5000" }).count()).toBe(0);
    expect(await long.locator(".log-item").count()).toBeLessThan(60);
    await long.close();
  });

  it("refuses the page once the token is gone from the browser too", async () => {
    await context.clearCookies();
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(403);
  });
});
