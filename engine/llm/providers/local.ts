import { estimateTokens } from "../tokens.js";
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  getLlama,
  InsufficientMemoryError,
  LlamaChat,
  LlamaLogLevel,
  type ChatHistoryItem,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaJsonSchemaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { LlmError } from "../errors.js";
import { GgufFileError, inspectGguf, type GgufSummary } from "../local/gguf-info.js";
import { toGrammarSchema } from "../local/json-schema.js";
import { defaultThreads } from "../local/threads.js";
import type { LocalModelSpec, Slot } from "../model-spec.js";
import type { ChatMessage, CompletionRequest, CompletionResult, FinishReason, JsonSchema, ModelProvider } from "../provider.js";

export { defaultThreads };

/** Context window used when the spec does not set one (capped by what the model was trained on). */
export const DEFAULT_CONTEXT_SIZE = 4096;

export interface LocalModelsOptions {
  modelsDir: string;
  /** Threads per generation when a spec does not set them; defaults from the machine (see defaultThreads). */
  defaultThreads?: number;
  onLoadProgress?: (e: { file: string; progress: number }) => void;
  /** Free memory in bytes, checked against a model's size before loading it; os.freemem unless a test injects a figure. */
  freeMemory?: () => number;
  /**
   * Flash attention for the contexts; off unless set. node-llama-cpp's "auto" turns it on, and on
   * this CPU-only build that made prompt reading 2–4× slower and each token at 2000 tokens of
   * context 5× slower with both test models (see models/README.md).
   */
  flashAttention?: boolean | "auto";
}

/**
 * The `local` provider: GGUF files run in-process by node-llama-cpp.
 *
 * - One Llama instance, created on first use, CPU only, never building or downloading binaries.
 * - Each file is loaded once and shared by every slot that uses it; each slot has its own context
 *   (its own KV cache, context size and threads). Loads are lazy and shared when concurrent.
 * - A file replaced on disk is reloaded on the next call of each slot using it; a vanished file
 *   fails that call with LlmError "model-file".
 * - Aborting a call resolves it (never rejects) with finishReason "aborted" and the text generated
 *   until then, which may be empty.
 * - `jsonSchema` is enforced by a grammar (see local/json-schema.ts for the subset); a schema the
 *   grammar cannot express is LlmError "invalid-request", and output cut short by maxTokens is
 *   LlmError "malformed-output", so the router can fall back in both cases.
 */
export class LocalModels {
  readonly #pool: ModelPool;

  constructor(options: LocalModelsOptions) {
    this.#pool = new ModelPool(options);
  }

  /** A provider for one slot. Every slot using the same file shares ONE loaded model; each slot gets its own context sequence. */
  provider(spec: LocalModelSpec, slot: Slot): LocalModelProvider {
    return this.#pool.provider(spec, slot);
  }

  /**
   * Tell the providers that a file changed or vanished (from the models-folder watcher). Slots
   * using it reload on their next call; each call also checks the file itself, so this only makes
   * the change take effect without relying on timestamps.
   */
  invalidate(file: string): void {
    this.#pool.invalidate(path.resolve(this.#pool.modelsDir, file));
  }

  dispose(): Promise<void> {
    return this.#pool.dispose();
  }
}

type JsonGrammar = LlamaJsonSchemaGrammar<GbnfJsonSchema>;

interface ResolvedOptions {
  readonly threads: number;
  readonly onLoadProgress: ((e: { file: string; progress: number }) => void) | undefined;
  readonly freeMemory: () => number;
  readonly flashAttention: boolean | "auto";
}

/** One version of one GGUF file, loaded. */
interface LoadedModel {
  readonly file: string;
  readonly signature: string;
  readonly model: LlamaModel;
  /** Sessions (slots) holding it; the model is disposed when the last one lets go. */
  holders: number;
  /** Superseded by a newer version of the file, or invalidated: holders move off it on their next call. */
  stale: boolean;
}

/** A load in progress or done; `loaded` is set once it has finished, so bookkeeping can stay synchronous. */
class PendingLoad {
  loaded: LoadedModel | undefined;
  readonly promise: Promise<LoadedModel>;

  constructor(load: Promise<LoadedModel>) {
    this.promise = load.then((loaded) => {
      this.loaded = loaded;
      return loaded;
    });
  }
}

class ModelPool {
  readonly modelsDir: string;
  readonly options: ResolvedOptions;
  #llama: Promise<Llama> | undefined;
  /** The newest version of each file, loading or loaded. Older versions live on only while slots hold them. */
  readonly #current = new Map<string, PendingLoad>();
  readonly #headers = new Map<string, GgufSummary>();
  readonly #grammars = new Map<string, Promise<JsonGrammar>>();
  readonly #providers = new Set<LocalModelProvider>();
  #disposed = false;

  constructor(options: LocalModelsOptions) {
    this.modelsDir = path.resolve(options.modelsDir);
    this.options = {
      threads: options.defaultThreads ?? defaultThreads(),
      onLoadProgress: options.onLoadProgress,
      freeMemory: options.freeMemory ?? os.freemem,
      flashAttention: options.flashAttention ?? false,
    };
  }

  provider(spec: LocalModelSpec, slot: Slot): LocalModelProvider {
    if (this.#disposed) throw new LlmError("unavailable", "The local models have been disposed", { provider: "local" });
    const file = path.resolve(this.modelsDir, spec.file);
    const provider = new LocalModelProvider(this, spec, slot, file);
    this.#providers.add(provider);
    // The header gives the trained context length, so contextSize() is right before the first call.
    void this.header(file).catch(() => undefined);
    return provider;
  }

  forget(provider: LocalModelProvider): void {
    this.#providers.delete(provider);
  }

  knownHeader(file: string): GgufSummary | undefined {
    return this.#headers.get(file);
  }

  async header(file: string): Promise<GgufSummary> {
    const summary = await inspectGguf(file);
    this.#headers.set(file, summary);
    return summary;
  }

  /** A loaded model for this version of the file, shared with the other slots using it. */
  async acquire(file: string, signature: string): Promise<LoadedModel> {
    for (;;) {
      if (this.#disposed) throw new LlmError("unavailable", "The local models have been disposed", { provider: "local", file });
      let pending = this.#current.get(file);
      if (pending === undefined) {
        pending = new PendingLoad(this.#load(file, signature));
        this.#current.set(file, pending);
      }
      let loaded: LoadedModel;
      try {
        loaded = await pending.promise;
      } catch (error) {
        // A failed load is not cached: the next call tries again (the file may have been fixed).
        if (this.#current.get(file) === pending) this.#current.delete(file);
        throw error;
      }
      if (!loaded.stale && loaded.signature === signature) {
        loaded.holders += 1;
        return loaded;
      }
      this.#retire(loaded);
    }
  }

  release(loaded: LoadedModel): void {
    loaded.holders -= 1;
    if (loaded.holders === 0) this.#retire(loaded);
  }

  invalidate(file: string): void {
    this.#headers.delete(file);
    const loaded = this.#current.get(file)?.loaded;
    if (loaded !== undefined) this.#retire(loaded);
  }

  /** Stop handing out this version; slots move off it on their next call, and the last one out disposes it. */
  #retire(loaded: LoadedModel): void {
    loaded.stale = true;
    if (this.#current.get(loaded.file)?.loaded === loaded) this.#current.delete(loaded.file);
    if (loaded.holders === 0 && !loaded.model.disposed) void loaded.model.dispose();
  }

  async #load(file: string, signature: string): Promise<LoadedModel> {
    let summary: GgufSummary;
    try {
      summary = await this.header(file);
    } catch (error) {
      throw error instanceof GgufFileError
        ? new LlmError("model-file", error.message, { provider: "local", file, cause: error })
        : error;
    }
    const free = this.options.freeMemory();
    if (summary.sizeBytes > free) {
      throw new LlmError("out-of-memory",
        `Model file ${file} is too large for this machine's memory: it needs at least ${formatBytes(summary.sizeBytes)} but only ${formatBytes(free)} is free`,
        { provider: "local", file });
    }
    const llama = await this.llama();
    try {
      const model = await llama.loadModel({
        modelPath: file,
        gpuLayers: 0,
        onLoadProgress: (progress) => this.options.onLoadProgress?.({ file, progress }),
      });
      return { file, signature, model, holders: 0, stale: false };
    } catch (error) {
      if (error instanceof InsufficientMemoryError) {
        throw new LlmError("out-of-memory", `Model file ${file} does not fit in this machine's memory (${error.message})`, { provider: "local", file, cause: error });
      }
      throw new LlmError("model-file", `Model file ${file} could not be loaded by llama.cpp (${errorMessage(error)})`, { provider: "local", file, cause: error });
    }
  }

  llama(): Promise<Llama> {
    this.#llama ??= getLlama({
      gpu: false,
      build: "never",
      // The ceiling for all contexts together: concurrent slots share the cores instead of oversubscribing them.
      maxThreads: os.availableParallelism(),
      logLevel: LlamaLogLevel.error,
    }).catch((error: unknown) => {
      throw new LlmError("unavailable", `node-llama-cpp could not start (${errorMessage(error)})`, { provider: "local", cause: error });
    });
    return this.#llama;
  }

  /** Grammars are compiled once per schema and reused; they belong to the Llama instance, not to a model. */
  grammar(schema: JsonSchema): Promise<JsonGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (grammar === undefined) {
      grammar = this.#compileGrammar(schema).catch((error: unknown) => {
        this.#grammars.delete(key);
        throw new LlmError("invalid-request", `The JSON schema cannot be enforced by a local model's grammar: ${errorMessage(error)}`, { provider: "local", cause: error });
      });
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }

  async #compileGrammar(schema: JsonSchema): Promise<JsonGrammar> {
    const grammarSchema = toGrammarSchema(schema);
    const llama = await this.llama();
    return llama.createGrammarForJsonSchema<GbnfJsonSchema>(grammarSchema);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.all([...this.#providers].map((provider) => provider.dispose()));
    const loads = await Promise.allSettled([...this.#current.values()].map((pending) => pending.promise));
    this.#current.clear();
    for (const load of loads) {
      if (load.status === "fulfilled" && !load.value.model.disposed) await load.value.model.dispose();
    }
    this.#grammars.clear();
    if (this.#llama !== undefined) await (await this.#llama).dispose();
  }
}

/**
 * What a slot keeps between calls: its context on the current model version. The context's
 * sequence still holds the tokens of the last call, and node-llama-cpp's LlamaChat compares a new
 * prompt with them token by token, evaluating only from the first difference — so a request that
 * starts like the previous one (the same conversation, one turn longer) does not re-read it.
 */
interface Session {
  readonly loaded: LoadedModel;
  readonly context: LlamaContext;
  readonly chat: LlamaChat;
}

interface CallState {
  generating: boolean;
}

export class LocalModelProvider implements ModelProvider {
  readonly kind = "local" as const;
  readonly id: string;
  readonly slot: Slot;
  /** The resolved path of the GGUF file. */
  readonly file: string;
  readonly #pool: ModelPool;
  readonly #spec: LocalModelSpec;
  #session: Session | undefined;
  /** Calls on one slot run one after another: a context sequence generates one reply at a time. */
  #tail: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(pool: ModelPool, spec: LocalModelSpec, slot: Slot, file: string) {
    this.#pool = pool;
    this.#spec = spec;
    this.slot = slot;
    this.file = file;
    this.id = `local:${spec.file}`;
  }

  /** The loaded model this slot generates with, once it has made a call (shared with other slots on the same file). */
  get loadedModel(): LlamaModel | undefined {
    return this.#session?.loaded.model;
  }

  contextSize(): number {
    if (this.#spec.contextSize !== undefined) return this.#spec.contextSize;
    const trained = this.#session?.loaded.model.trainContextSize ?? this.#pool.knownHeader(this.file)?.contextLength;
    return Math.min(trained ?? DEFAULT_CONTEXT_SIZE, DEFAULT_CONTEXT_SIZE);
  }

  countTokens(text: string): number {
    const model = this.#session?.loaded.model;
    if (model !== undefined && !model.disposed) return model.tokenize(text, false).length;
    return estimateTokens(text);
  }

  complete(request: CompletionRequest): Promise<CompletionResult> {
    const startedAt = performance.now();
    if (this.#disposed) {
      return Promise.reject(new LlmError("unavailable", `The local provider for ${this.file} has been disposed`, { provider: this.id, file: this.file }));
    }
    const state: CallState = { generating: false };
    const run = this.#tail.then(() => this.#run(request, startedAt, state));
    this.#tail = run.then(() => undefined, () => undefined);
    const signal = request.signal;
    if (signal === undefined) return run;
    // An abort before generation starts (queued behind another call, or while the model loads)
    // answers at once; the queued work then sees the signal and does nothing.
    return new Promise<CompletionResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (!state.generating) resolve(this.#aborted(""));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pool.forget(this);
    await this.#tail;
    await this.#dropSession();
  }

  async #run(request: CompletionRequest, startedAt: number, state: CallState): Promise<CompletionResult> {
    const signal = request.signal;
    if (signal?.aborted) return this.#aborted("");
    if (request.messages.length === 0) {
      throw new LlmError("invalid-request", "A completion needs at least one message", { provider: this.id });
    }
    const session = await this.#ensureSession();
    const grammar = request.jsonSchema === undefined ? undefined : await this.#pool.grammar(request.jsonSchema);
    if (signal?.aborted) return this.#aborted("");

    const history = toHistory(request.messages);
    const inputTokens = promptTokens(session.chat, history);
    // LlamaChat would make room by silently dropping the oldest messages ("context shift"); instead
    // an oversized prompt is an error the router can act on, and the answer stops where the context ends.
    const contextSize = this.contextSize();
    const room = contextSize - inputTokens - 1;
    if (room < 1) {
      throw new LlmError("context-overflow",
        `The prompt is ${inputTokens} tokens, which leaves no room for an answer in the ${contextSize}-token context of ${this.id}`,
        { provider: this.id, file: this.file });
    }
    const meterBefore = session.chat.sequence.tokenMeter.getState();
    let firstTokenMs: number | undefined;
    let streamed = "";
    state.generating = true;

    let response: Awaited<ReturnType<LlamaChat["generateResponse"]>>;
    try {
      response = await session.chat.generateResponse(history, {
        onTextChunk: (chunk) => {
          if (chunk.length === 0) return;
          firstTokenMs ??= performance.now() - startedAt;
          streamed += chunk;
          request.onToken?.(chunk);
        },
        signal,
        stopOnAbortSignal: true,
        maxTokens: Math.min(request.maxTokens, room),
        temperature: request.temperature,
        seed: request.seed,
        grammar,
      });
    } catch (error) {
      if (signal?.aborted) return this.#aborted(streamed, firstTokenMs);
      throw this.#generationError(error);
    }

    const stopReason = response.metadata.stopReason;
    const finishReason: FinishReason = stopReason === "abort" ? "aborted" : stopReason === "maxTokens" ? "length" : "stop";
    const text = response.response;
    const usage = { inputTokens, outputTokens: session.chat.sequence.tokenMeter.diff(meterBefore).usedOutputTokens };

    if (grammar !== undefined && finishReason !== "aborted") {
      try {
        grammar.parse(text);
      } catch (error) {
        throw new LlmError("malformed-output", finishReason === "length"
          ? `The JSON output of ${this.id} was cut off at the ${Math.min(request.maxTokens, room)}-token limit before it was complete`
          : `The output of ${this.id} does not follow the JSON schema (${errorMessage(error)})`,
        { provider: this.id, file: this.file, cause: error });
      }
    }
    return {
      text,
      finishReason,
      usage,
      ...(firstTokenMs === undefined ? {} : { firstTokenMs }),
      model: this.id,
    };
  }

  /**
   * The session for the file as it is on disk now. A stat per call is cheap next to generation and
   * catches a file replaced or removed behind the watcher's back.
   */
  async #ensureSession(): Promise<Session> {
    let stat: Stats;
    try {
      stat = await fs.stat(this.file);
    } catch (error) {
      await this.#dropSession();
      const missing = typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
      throw new LlmError("model-file", missing
        ? `Model file ${this.file} was not found (it may have been removed or renamed)`
        : `Model file ${this.file} cannot be read (${errorMessage(error)})`,
      { provider: this.id, file: this.file, cause: error });
    }
    const signature = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const current = this.#session;
    if (current !== undefined && !current.loaded.stale && current.loaded.signature === signature) return current;
    await this.#dropSession();

    const loaded = await this.#pool.acquire(this.file, signature);
    try {
      const context = await loaded.model.createContext({
        contextSize: this.#spec.contextSize ?? Math.min(loaded.model.trainContextSize, DEFAULT_CONTEXT_SIZE),
        threads: this.#spec.threads ?? this.#pool.options.threads,
        flashAttention: this.#pool.options.flashAttention,
        sequences: 1,
      });
      const session: Session = { loaded, context, chat: new LlamaChat({ contextSequence: context.getSequence() }) };
      this.#session = session;
      return session;
    } catch (error) {
      this.#pool.release(loaded);
      if (error instanceof InsufficientMemoryError) {
        throw new LlmError("out-of-memory", `There is not enough memory for a ${this.contextSize()}-token context on ${this.file} (${error.message})`, { provider: this.id, file: this.file, cause: error });
      }
      throw new LlmError("unavailable", `Could not create a context for ${this.file} (${errorMessage(error)})`, { provider: this.id, file: this.file, cause: error });
    }
  }

  async #dropSession(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    session.chat.dispose();
    await session.context.dispose();
    this.#pool.release(session.loaded);
  }

  /** An abort before node-llama-cpp produced a response: nothing was read, and at most a little was streamed. */
  #aborted(text: string, firstTokenMs?: number): CompletionResult {
    return {
      text,
      finishReason: "aborted",
      usage: { inputTokens: 0, outputTokens: text.length === 0 ? 0 : this.countTokens(text) },
      ...(firstTokenMs === undefined ? {} : { firstTokenMs }),
      model: this.id,
    };
  }

  #generationError(error: unknown): LlmError {
    if (error instanceof LlmError) return error;
    if (error instanceof InsufficientMemoryError) {
      return new LlmError("out-of-memory", `Ran out of memory generating with ${this.file} (${error.message})`, { provider: this.id, file: this.file, cause: error });
    }
    const message = errorMessage(error);
    if (/context size is too small/i.test(message)) {
      return new LlmError("context-overflow", `The prompt does not fit the ${this.contextSize()}-token context of ${this.id}`, { provider: this.id, file: this.file, cause: error });
    }
    return new LlmError("unavailable", `Local generation with ${this.file} failed (${message})`, { provider: this.id, file: this.file, cause: error });
  }
}

function toHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  return messages.map((message): ChatHistoryItem => {
    switch (message.role) {
      case "system":
        return { type: "system", text: message.content };
      case "user":
        return { type: "user", text: message.content };
      case "assistant":
        return { type: "model", response: [message.content] };
    }
  });
}

/** Tokens of the prompt as the model reads it: the messages in the model's chat format, up to where the reply starts. */
function promptTokens(chat: LlamaChat, history: readonly ChatHistoryItem[]): number {
  // A trailing assistant message is continued, so it is part of the prompt; otherwise the reply starts empty.
  const prompt = history.at(-1)?.type === "model" ? history : [...history, { type: "model", response: [] } satisfies ChatHistoryItem];
  const { contextText } = chat.chatWrapper.generateContextState({ chatHistory: prompt });
  return contextText.tokenize(chat.model.tokenizer).length;
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
