import { actualCostUsd, Budget, estimateCostUsd, isPaid } from "./budget.js";
import { ResponseCache } from "./cache.js";
import { CircuitBreaker, countsAgainstModel, type CircuitState } from "./circuit-breaker.js";
import { detectComplexity } from "./complexity.js";
import { isLlmError, LlmError, type LlmErrorKind } from "./errors.js";
import { canonicalJson, fingerprint } from "./fingerprint.js";
import { modelName, type Ledger, type LedgerOutcome, type LedgerRow, type SkipReason } from "./ledger.js";
import { SLOTS, type ModelSpec, type Slot } from "./model-spec.js";
import type { ChatMessage, CompletionResult, ModelProvider, ProviderKind, Usage } from "./provider.js";
import { retryDelay, systemClock, systemSleep, type Clock, type Random, type Sleep } from "./retry.js";
import { resolveRoutes, type RoutesTable } from "./routes.js";
import { redactSecrets, type AppSettings } from "./settings.js";
import type { Complexity, StreamReset, TaskRequest } from "./tasks.js";

/**
 * The router: from "this task needs a model" to an answer, or to a clear "no model answered".
 *
 * A task's (type, complexity) picks a route: a slot, a temperature, a token limit. The slot's
 * chain of models is tried in order. Before each model: the response cache (deterministic
 * requests only), its circuit breaker, whether the prompt fits its context window, and the budget
 * (paid models only). Each model gets up to `retries.maxAttempts` calls, with backoff, on errors
 * that may pass; then the next model. Every chain implicitly ends in offline: when nothing
 * answers, `run` says so and the caller uses the engine's own text. Model failures never throw.
 *
 * Settings are read on every run, so a change applies to the next task without a restart.
 */

export type RouterSettings = Pick<AppSettings, "slots" | "routes" | "budgets" | "defaults" | "cache">;

/** Builds the provider for one model in one slot; called once per (slot, spec) and kept. */
export type ProviderFactory = (spec: ModelSpec, slot: Slot) => ModelProvider;

export interface RouterOptions {
  /**
   * Called on every run. Return the same object until the settings change: what the router
   * derives from them (resolved routes, chains) is rebuilt only for a new object.
   */
  readonly settings: () => RouterSettings;
  readonly createProvider: ProviderFactory;
  readonly ledger?: Ledger;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
}

/** Why one model did not answer. */
export interface AttemptError {
  /** `provider:model`, or "offline" when the slot has no models. */
  readonly model: string;
  readonly kind: LlmErrorKind;
  /** Safe to log: anything that looks like a key is removed. */
  readonly message: string;
  /** True when the model was not called at all (circuit open, budget spent, prompt too long). */
  readonly skipped: boolean;
}

export interface RouterAnswer {
  readonly ok: true;
  readonly text: string;
  /** The parsed answer, when the task gave a JSON schema. */
  readonly json?: unknown;
  readonly slot: Slot;
  readonly complexity: Complexity;
  readonly provider: ProviderKind;
  /** The model as the provider reported it. */
  readonly model: string;
  readonly usage: Usage;
  /** Zero for a cached answer. */
  readonly costUsd: number;
  /** Of the call that answered. */
  readonly latencyMs: number;
  readonly firstTokenMs?: number;
  /** From `run` to the answer, failed attempts and backoff included. */
  readonly totalMs: number;
  readonly cached: boolean;
  /** Model calls made for this task, the answering one included. */
  readonly attempts: number;
  /** What failed or was skipped before the answer. */
  readonly errors: readonly AttemptError[];
}

/** No model answered: the caller falls back to the engine's own narration. */
export interface RouterOffline {
  readonly ok: false;
  readonly offline: true;
  readonly aborted: false;
  readonly slot: Slot;
  readonly complexity: Complexity;
  readonly errors: readonly AttemptError[];
}

/** The caller cancelled; nothing was tried after that. */
export interface RouterAborted {
  readonly ok: false;
  readonly offline: false;
  readonly aborted: true;
  readonly slot: Slot;
  readonly complexity: Complexity;
  readonly errors: readonly AttemptError[];
}

export type RouterResult = RouterAnswer | RouterOffline | RouterAborted;

export interface RouterStatus {
  readonly spentTodayUsd: number;
  readonly spentThisSessionUsd: number;
  /** Circuit state per model of the current settings, as `provider:model`. */
  readonly circuits: readonly { readonly model: string; readonly state: CircuitState }[];
}

/** One model of a chain, with what the router derives from its spec once per settings change. */
interface ChainEntry {
  readonly spec: ModelSpec;
  /** Canonical JSON of the spec: one circuit breaker per distinct model configuration. */
  readonly key: string;
  readonly name: string;
  /** `provider:name`, for fingerprints and messages. */
  readonly id: string;
  readonly paid: boolean;
}

interface Prepared {
  readonly routes: RoutesTable;
  readonly chains: { readonly [S in Slot]: readonly ChainEntry[] };
}

interface CachedAnswer {
  readonly text: string;
  readonly json: unknown;
  readonly usage: Usage;
  readonly provider: ProviderKind;
  readonly model: string;
}

type AttemptOutcome =
  | { readonly ok: true; readonly result: CompletionResult; readonly json: unknown; readonly latencyMs: number; readonly firstTokenMs: number | undefined }
  | {
      readonly ok: false;
      readonly error: LlmError;
      /** Stopped by the caller (cancelled, or its onToken threw `thrown`): no retry, no fallback. */
      readonly byCaller: boolean;
      readonly thrown?: { readonly error: unknown };
      readonly emittedChars: number;
      readonly latencyMs: number;
    };

/** What one call's callbacks have seen. */
interface CallState {
  timedOut: boolean;
  /** False once the call is over: a provider still streaming after that is not listened to. */
  live: boolean;
  emittedChars: number;
  firstTokenAt: number | undefined;
  callerThrew: { readonly error: unknown } | undefined;
}

/** Everything one run needs to know, gathered once. */
interface Run {
  readonly task: TaskRequest;
  readonly settings: RouterSettings;
  readonly slot: Slot;
  readonly complexity: Complexity;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly timeoutMs: number;
  readonly request: number;
  readonly started: number;
  readonly errors: AttemptError[];
  attempts: number;
}

export class Router {
  readonly #settings: () => RouterSettings;
  readonly #createProvider: ProviderFactory;
  readonly #ledger: Ledger | undefined;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: Random;
  readonly #budget: Budget;
  readonly #cache = new ResponseCache<CachedAnswer>(256);
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #providers = new Map<string, ModelProvider>();
  #preparedFor: RouterSettings | undefined;
  #prepared: Prepared | undefined;
  #nextRequest = 0;

  constructor(options: RouterOptions) {
    this.#settings = options.settings;
    this.#createProvider = options.createProvider;
    this.#ledger = options.ledger;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? systemSleep;
    this.#random = options.random ?? Math.random;
    const ledger = options.ledger;
    this.#budget = new Budget({
      clock: this.#clock,
      ...(ledger === undefined ? {} : { spentSince: (dayStartMs: number) => spentSince(ledger, dayStartMs) }),
    });
  }

  /**
   * An answer, offline (no model answered), or aborted (the caller cancelled). Never throws for a
   * model's failure; it throws only what the caller's own onToken threw.
   */
  async run(task: TaskRequest): Promise<RouterResult> {
    const started = this.#clock.now();
    const settings = this.#settings();
    const prepared = this.#prepare(settings);
    const complexity = task.complexity ?? detectComplexity(task.messages);
    const route = prepared.routes[task.type][complexity];
    const run: Run = {
      task,
      settings,
      slot: task.slot ?? route.slot,
      complexity,
      temperature: task.temperature ?? route.temperature,
      maxTokens: task.maxTokens ?? route.maxTokens,
      timeoutMs: task.deadlineMs ?? settings.defaults.timeoutMs,
      request: this.#ledger?.nextRequestId() ?? this.#nextRequest++,
      started,
      errors: [],
      attempts: 0,
    };
    if (task.signal?.aborted) return this.#aborted(run);

    const chain = prepared.chains[run.slot];
    if (chain.length === 0) {
      run.errors.push({ model: "offline", kind: "unavailable", message: `no model is configured for the ${run.slot} slot`, skipped: true });
    }
    for (let i = 0; i < chain.length; i++) {
      const result = await this.#tryModel(run, chain[i]!, i === chain.length - 1);
      if (result !== undefined) return result;
    }
    this.#record(run, { provider: "offline", model: "offline", latencyMs: this.#clock.now() - started, outcome: "offline" });
    return { ok: false, offline: true, aborted: false, slot: run.slot, complexity, errors: run.errors };
  }

  /** Budget spent and circuit states, for status displays. */
  status(): RouterStatus {
    const settings = this.#settings();
    const prepared = this.#prepare(settings);
    const policy = settings.defaults.circuitBreaker;
    const seen = new Set<string>();
    const circuits: { model: string; state: CircuitState }[] = [];
    for (const slot of SLOTS) {
      for (const entry of prepared.chains[slot]) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        circuits.push({ model: entry.id, state: this.#breakers.get(entry.key)?.state(policy) ?? "closed" });
      }
    }
    return { spentTodayUsd: this.#budget.spentToday, spentThisSessionUsd: this.#budget.spentThisSession, circuits };
  }

  /** Releases every provider (and so every loaded model). */
  async dispose(): Promise<void> {
    const providers = [...this.#providers.values()];
    this.#providers.clear();
    await Promise.allSettled(providers.map(provider => provider.dispose()));
  }

  /** One model of the chain: an answer, an abort, or undefined to go on to the next model. */
  async #tryModel(run: Run, entry: ChainEntry, isLast: boolean): Promise<RouterResult | undefined> {
    const { task, settings } = run;
    const policy = settings.defaults.circuitBreaker;
    if (task.signal?.aborted) return this.#abortedBefore(run, entry);

    let key: string | undefined;
    if (run.temperature === 0 && settings.cache.enabled) {
      key = fingerprint({ slot: run.slot, model: entry.id, messages: task.messages, temperature: 0, maxTokens: run.maxTokens, jsonSchema: task.jsonSchema });
      this.#cache.resize(settings.cache.maxEntries);
      const hit = this.#cache.get(key);
      if (hit !== undefined) return this.#cachedAnswer(run, entry, hit);
    }

    const breaker = this.#breaker(entry.key);
    if (breaker.state(policy) === "open") {
      this.#skip(run, entry, "circuit-open", "unavailable", "circuit open after repeated failures");
      return undefined;
    }

    let provider: ModelProvider;
    try {
      provider = this.#provider(run.slot, entry);
    } catch (cause) {
      const error = asLlmError(cause, entry.id);
      if (countsAgainstModel(error.kind)) breaker.onFailure(policy);
      this.#failed(run, entry, error, isLast ? `error:${error.kind}` : "fell-back", 0);
      return undefined;
    }

    // A small context shortens the answer rather than losing the model: only a prompt that
    // leaves no room to answer skips it.
    let promptTokens: number | undefined;
    let maxTokens = run.maxTokens;
    const contextSize = provider.contextSize();
    if (contextSize !== undefined) {
      promptTokens = countPrompt(provider, task.messages);
      const room = contextSize - promptTokens;
      if (room < Math.min(run.maxTokens, MIN_ANSWER_TOKENS)) {
        this.#skip(run, entry, "context", "context-overflow", `prompt of ${promptTokens} tokens leaves no room to answer in the context of ${contextSize}`);
        return undefined;
      }
      maxTokens = Math.min(run.maxTokens, room);
    }

    for (let attempt = 1; ; attempt++) {
      if (entry.paid && (settings.budgets.dailyUsd !== undefined || settings.budgets.sessionUsd !== undefined)) {
        promptTokens ??= countPrompt(provider, task.messages);
        const verdict = this.#budget.check(settings.budgets, estimateCostUsd(entry.spec, promptTokens, maxTokens));
        if (verdict !== "ok") {
          this.#skip(run, entry, `budget-${verdict}`, "unavailable", `the ${verdict} budget is spent`);
          return undefined;
        }
      }
      if (!breaker.tryAcquire(policy)) {
        this.#skip(run, entry, "circuit-open", "unavailable", "circuit open; another task is probing this model");
        return undefined;
      }

      const outcome = await this.#attempt(run, provider, entry, maxTokens);
      run.attempts++;

      if (outcome.ok) {
        breaker.onSuccess();
        return this.#answer(run, entry, provider, outcome, key);
      }

      const { error } = outcome;
      if (outcome.byCaller) {
        breaker.onNeutral();
        this.#failed(run, entry, error, "error:aborted", outcome.latencyMs);
        if (outcome.thrown !== undefined) throw outcome.thrown.error;
        return this.#aborted(run);
      }
      if (countsAgainstModel(error.kind)) breaker.onFailure(policy);
      else breaker.onNeutral();
      if (outcome.emittedChars > 0) {
        const reset: StreamReset = { model: entry.id, error: error.kind, discardedChars: outcome.emittedChars };
        task.onReset?.(reset);
      }

      const delay = breaker.state(policy) === "closed" ? retryDelay(error, attempt, settings.defaults.retries, this.#random) : undefined;
      this.#failed(run, entry, error, delay !== undefined ? "retried" : isLast ? `error:${error.kind}` : "fell-back", outcome.latencyMs);
      if (delay === undefined) return undefined;
      try {
        await this.#sleep(delay, task.signal);
      } catch {
        return this.#abortedBefore(run, entry);
      }
    }
  }

  /** The caller cancelled between calls; the row says which model would have been next. */
  #abortedBefore(run: Run, entry: ChainEntry): RouterAborted {
    this.#failed(run, entry, new LlmError("aborted", "cancelled by the caller", { provider: entry.id }), "error:aborted", 0);
    return this.#aborted(run);
  }

  /**
   * One call to one model, bounded by the run's timeout and the caller's signal. A provider that
   * ignores its signal is not waited for: the call is abandoned, and anything it still streams is
   * dropped.
   *
   * One AbortController serves three ends, because creating and aborting signals is most of the
   * router's cost per call: it cancels the provider (timeout or caller), it cancels the timeout's
   * sleep once the call is over (its signal is aborted with SETTLED then, which a provider that
   * has finished ignores), and its sleep, which rejects on abort, makes the race's losing side.
   */
  async #attempt(run: Run, provider: ModelProvider, entry: ChainEntry, maxTokens: number): Promise<AttemptOutcome> {
    const { task } = run;
    const callerSignal = task.signal;
    const controller = new AbortController();
    const signal = controller.signal;
    const started = this.#clock.now();
    const call: CallState = { timedOut: false, live: true, emittedChars: 0, firstTokenAt: undefined, callerThrew: undefined };

    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    // A signal that is already aborted fires no event: a caller who cancelled just as a backoff
    // ended must still stop this call.
    if (callerSignal?.aborted) onCallerAbort();
    // On the injected sleep rather than AbortSignal.timeout, so that tests control time.
    const deadline = this.#sleep(run.timeoutMs, signal).then(() => {
      call.timedOut = true;
      controller.abort(TIMED_OUT);
      throw TIMED_OUT;
    });

    const onToken = task.onToken;
    const forward = onToken === undefined
      ? undefined
      : (delta: string): void => {
          if (!call.live) return;
          call.firstTokenAt ??= this.#clock.now();
          call.emittedChars += delta.length;
          try {
            onToken(delta);
          } catch (error) {
            // The caller's own bug, not the model's failure: no fallback, and run() rethrows it.
            call.callerThrew ??= { error };
            controller.abort(CALLER_THREW);
          }
        };

    try {
      const result = await Promise.race([
        provider.complete({
          messages: task.messages,
          temperature: run.temperature,
          maxTokens,
          signal,
          ...(task.jsonSchema === undefined ? {} : { jsonSchema: task.jsonSchema }),
          ...(forward === undefined ? {} : { onToken: forward }),
        }),
        deadline,
      ]);
      call.live = false;
      const latencyMs = this.#clock.now() - started;
      // Some providers (the local one) answer an abort with what they had, finishReason "aborted".
      if (signal.aborted || result.finishReason === "aborted") {
        return stopped(run, entry, call, latencyMs, new LlmError("aborted", "the provider stopped the answer", { provider: entry.id }));
      }
      const firstTokenMs = result.firstTokenMs ?? (call.firstTokenAt === undefined ? undefined : call.firstTokenAt - started);
      const checked = checkOutput(result.text, task.jsonSchema !== undefined, entry.id);
      if (checked instanceof LlmError) return { ok: false, error: checked, byCaller: false, emittedChars: call.emittedChars, latencyMs };
      return { ok: true, result, json: checked.json, latencyMs, firstTokenMs };
    } catch (cause) {
      call.live = false;
      return stopped(run, entry, call, this.#clock.now() - started, asLlmError(cause, entry.id));
    } finally {
      if (!signal.aborted) controller.abort(SETTLED);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  }

  #answer(run: Run, entry: ChainEntry, provider: ModelProvider, outcome: AttemptOutcome & { ok: true }, key: string | undefined): RouterAnswer {
    const { result } = outcome;
    const costUsd = actualCostUsd(entry.spec, result.usage, result.costUsd);
    // Before the ledger row: a new UTC day reads the day's spending from the ledger once.
    this.#budget.record(costUsd);
    this.#record(run, {
      provider: entry.spec.provider,
      model: entry.name,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      costUsd,
      latencyMs: outcome.latencyMs,
      firstTokenMs: outcome.firstTokenMs,
      outcome: "ok",
    });
    if (key !== undefined) {
      this.#cache.set(key, { text: result.text, json: outcome.json, usage: result.usage, provider: provider.kind, model: result.model });
    }
    return {
      ok: true,
      text: result.text,
      ...(outcome.json === undefined ? {} : { json: outcome.json }),
      slot: run.slot,
      complexity: run.complexity,
      provider: provider.kind,
      model: result.model,
      usage: result.usage,
      costUsd,
      latencyMs: outcome.latencyMs,
      ...(outcome.firstTokenMs === undefined ? {} : { firstTokenMs: outcome.firstTokenMs }),
      totalMs: this.#clock.now() - run.started,
      cached: false,
      attempts: run.attempts,
      errors: run.errors,
    };
  }

  #cachedAnswer(run: Run, entry: ChainEntry, hit: CachedAnswer): RouterAnswer {
    this.#record(run, { provider: entry.spec.provider, model: entry.name, outcome: "cached" });
    run.task.onToken?.(hit.text);
    return {
      ok: true,
      text: hit.text,
      ...(hit.json === undefined ? {} : { json: hit.json }),
      slot: run.slot,
      complexity: run.complexity,
      provider: hit.provider,
      model: hit.model,
      usage: hit.usage,
      costUsd: 0,
      latencyMs: 0,
      totalMs: this.#clock.now() - run.started,
      cached: true,
      attempts: run.attempts,
      errors: run.errors,
    };
  }

  #aborted(run: Run): RouterAborted {
    return { ok: false, offline: false, aborted: true, slot: run.slot, complexity: run.complexity, errors: run.errors };
  }

  #skip(run: Run, entry: ChainEntry, reason: SkipReason, kind: LlmErrorKind, message: string): void {
    run.errors.push({ model: entry.id, kind, message, skipped: true });
    this.#record(run, { provider: entry.spec.provider, model: entry.name, outcome: `skipped:${reason}`, errorKind: kind, errorMessage: message });
  }

  #failed(run: Run, entry: ChainEntry, error: LlmError, outcome: LedgerOutcome, latencyMs: number): void {
    const message = redactSecrets(error.message);
    run.errors.push({ model: entry.id, kind: error.kind, message, skipped: false });
    this.#record(run, { provider: entry.spec.provider, model: entry.name, latencyMs, outcome, errorKind: error.kind, errorMessage: message });
  }

  #record(
    run: Run,
    row: Pick<LedgerRow, "provider" | "model" | "outcome"> & Partial<Pick<LedgerRow, "inputTokens" | "outputTokens" | "costUsd" | "latencyMs" | "firstTokenMs" | "errorKind" | "errorMessage">>,
  ): void {
    if (this.#ledger === undefined) return;
    this.#ledger.record({
      request: run.request,
      time: new Date(this.#clock.now()).toISOString(),
      taskType: run.task.type,
      complexity: run.complexity,
      slot: run.slot,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: 0,
      ...row,
    });
  }

  #breaker(key: string): CircuitBreaker {
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.#clock);
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  #provider(slot: Slot, entry: ChainEntry): ModelProvider {
    const key = `${slot}\u0000${entry.key}`;
    let provider = this.#providers.get(key);
    if (provider === undefined) {
      provider = this.#createProvider(entry.spec, slot);
      this.#providers.set(key, provider);
    }
    return provider;
  }

  /**
   * Derived data for a settings object, rebuilt only when the settings function returns a
   * different object. Providers for models no longer in any chain are released then, so a model
   * the player took out of a slot does not stay in memory.
   */
  #prepare(settings: RouterSettings): Prepared {
    if (settings === this.#preparedFor && this.#prepared !== undefined) return this.#prepared;
    const chains = {
      main: settings.slots.main.map(toEntry),
      cot: settings.slots.cot.map(toEntry),
      utility: settings.slots.utility.map(toEntry),
    };
    const prepared: Prepared = { routes: resolveRoutes(settings.routes), chains };
    const inUse = new Set(SLOTS.flatMap(slot => chains[slot].map(entry => `${slot}\u0000${entry.key}`)));
    for (const [key, provider] of this.#providers) {
      if (inUse.has(key)) continue;
      this.#providers.delete(key);
      // Nobody is waiting on a model that has left the settings; a failure to free it changes nothing for play.
      provider.dispose().catch(() => undefined);
    }
    this.#preparedFor = settings;
    this.#prepared = prepared;
    return prepared;
  }
}

/** The least room to answer that is worth a call; less, and the next model is tried instead. */
const MIN_ANSWER_TOKENS = 32;

// Abort reasons made once: an abort without a reason builds a DOMException, stack trace and all.
const TIMED_OUT = new Error("timed out");
const SETTLED = new Error("settled");
const CALLER_THREW = new Error("the caller's onToken threw");

/** A call that ended without an answer: the caller, then the timeout, explain it before the provider's error does. */
function stopped(run: Run, entry: ChainEntry, call: CallState, latencyMs: number, error: LlmError): AttemptOutcome {
  const { emittedChars } = call;
  if (call.callerThrew !== undefined) {
    const aborted = new LlmError("aborted", "stopped: the caller's onToken threw", { provider: entry.id });
    return { ok: false, error: aborted, byCaller: true, thrown: call.callerThrew, emittedChars, latencyMs };
  }
  if (run.task.signal?.aborted) {
    return { ok: false, error: new LlmError("aborted", "cancelled by the caller", { provider: entry.id }), byCaller: true, emittedChars, latencyMs };
  }
  const why = call.timedOut ? new LlmError("timeout", `no answer within ${run.timeoutMs} ms`, { provider: entry.id }) : error;
  return { ok: false, error: why, byCaller: false, emittedChars, latencyMs };
}

function toEntry(spec: ModelSpec): ChainEntry {
  const name = modelName(spec);
  return { spec, key: canonicalJson(spec), name, id: `${spec.provider}:${name}`, paid: isPaid(spec) };
}

function countPrompt(provider: ModelProvider, messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) tokens += provider.countTokens(message.content);
  return tokens;
}

/** An answer must not be empty, and JSON must parse; either failure sends the task on. */
function checkOutput(text: string, wantJson: boolean, model: string): { json: unknown } | LlmError {
  if (text.trim() === "") return new LlmError("malformed-output", "the model returned nothing", { provider: model });
  if (!wantJson) return { json: undefined };
  try {
    return { json: JSON.parse(stripCodeFence(text)) };
  } catch {
    return new LlmError("malformed-output", "the model's answer is not valid JSON", { provider: model });
  }
}

// Chat models often wrap JSON in a Markdown fence even when told not to; the JSON inside is fine.
function stripCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return fenced?.[1] ?? text;
}

/** A provider that throws something other than an LlmError has failed like a server would. */
function asLlmError(error: unknown, model: string): LlmError {
  if (isLlmError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LlmError("server", `${model}: ${message}`, { provider: model, cause: error });
}

/**
 * A ledger that cannot be read must not stop play, but the day's spending is then unknown: a
 * daily budget counts as spent (paid models are skipped for the day) rather than risk the
 * player's money.
 */
function spentSince(ledger: Ledger, dayStartMs: number): number {
  try {
    return ledger.costSince(new Date(dayStartMs).toISOString());
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
