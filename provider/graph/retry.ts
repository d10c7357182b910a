/**
 * Retries as Graph asks. {@link decideRetry} is the strategy: a pure function from one attempt's
 * outcome to a decision. {@link retryPolicy} is the one loop that acts on decisions.
 *
 * What is retried:
 * - 429, for every method: Graph throttled the request before doing the work, so re-sending even a
 *   POST that creates something cannot duplicate it.
 * - 503 and 504, and network failures (reset, timeout), for replayable requests. For a request that is
 *   not replayable (a POST that creates or activates, a PATCH `@delta`) any 5xx, a reset or a timeout
 *   after it went out is ambiguous: a gateway or a failing backend may answer 503 after the work was
 *   done. Such a request is never re-sent; the caller gets an {@link AmbiguousRequestError} and settles
 *   it by reading what the request would have made. DNS failures and refused connections never reached
 *   the service and are retried for every method.
 * - Nothing else: other statuses (400, 401, 403, 404, 409, 500 for replayable requests ...) are returned
 *   to the caller.
 *
 * How long to wait: `Retry-After` (seconds or an HTTP date) when Graph sends it, including waits past
 * three minutes up to {@link RetryOptions.maxRetryAfterInMs}; beyond that cap the caller gets a throttling
 * {@link GraphError} that says how long Graph asked to wait. Without the header: exponential backoff with
 * full jitter. Never past {@link RetryOptions.deadlineInMs} from the first attempt.
 */
import type { GraphLogger } from "./logging";
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "./pipeline";
import { withHeader } from "./pipeline";
import type { Scrubber } from "../redact";
import { createGraphError, createNetworkError } from "./errorFactory";
import { AbortError, AmbiguousRequestError } from "./errors";
import { backoffDelayInMs, parseRetryAfterInMs } from "./retryAfter";
import { describeFailure, TransportError } from "./transport";

/** Waits `delayInMs`, or rejects with an `AbortError` as soon as the signal fires. */
export type Sleep = (delayInMs: number, abortSignal?: AbortSignal) => Promise<void>;

/** How the client retries; every field has a default in {@link DEFAULT_RETRY_OPTIONS}. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts: number;
  /** Backoff base when Graph gives no `Retry-After`. Default 1 s. */
  baseDelayInMs: number;
  /** Backoff ceiling. Default 60 s. */
  maxDelayInMs: number;
  /** The longest `Retry-After` honoured; a longer one fails at once with a throttling error. Default 10 min. */
  maxRetryAfterInMs: number;
  /** No wait may end later than this after the first attempt started. Default 20 min. */
  deadlineInMs: number;
  /** Injectable for tests (sinon fake timers replace `setTimeout`, so the default works with them too). */
  sleep: Sleep;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now: () => number;
  /** A number in `[0, 1)` for jitter. Default `Math.random`. */
  random: () => number;
}

/** The defaults: 6 attempts, 1 s to 60 s backoff, Retry-After honoured up to 10 min, 20 min deadline. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = {
  maxAttempts: 6,
  baseDelayInMs: 1_000,
  maxDelayInMs: 60_000,
  maxRetryAfterInMs: 10 * 60_000,
  deadlineInMs: 20 * 60_000,
  sleep: defaultSleep,
  now: () => Date.now(),
  random: () => Math.random(),
};

/** Options with the defaults filled in and checked. */
export function resolveRetryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
  const resolved = { ...DEFAULT_RETRY_OPTIONS, ...options };
  for (const key of [
    "maxAttempts",
    "baseDelayInMs",
    "maxDelayInMs",
    "maxRetryAfterInMs",
    "deadlineInMs",
  ] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) {
      throw new RangeError(`retry.${key} must be a non-negative number, got ${resolved[key]}`);
    }
  }
  if (resolved.maxAttempts < 1) {
    throw new RangeError("retry.maxAttempts must be at least 1");
  }
  return resolved;
}

/** One attempt's outcome: a response, or a failure with no response. */
export type AttemptOutcome =
  | { readonly response: PipelineResponse; readonly failure?: undefined }
  | { readonly failure: TransportError; readonly response?: undefined };

/** What the loop does next. */
export type RetryDecision =
  | { readonly action: "return" }
  | { readonly action: "retry"; readonly delayInMs: number; readonly reason: string }
  | { readonly action: "throw"; readonly error: Error };

/** What {@link decideRetry} knows besides the outcome. */
export interface RetryContext {
  readonly request: PipelineRequest;
  /** Attempts made so far, this one included (1 after the first). */
  readonly attempt: number;
  /** When the first attempt started. */
  readonly startedAtInMs: number;
  readonly nowInMs: number;
  readonly options: RetryOptions;
  readonly scrub: Scrubber;
}

const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * The retry strategy: pure, so its rules can be tested one by one. In order: is the outcome retryable
 * at all; may this request be sent again; are attempts left; how long to wait; does that wait fit
 * before the deadline.
 */
export function decideRetry(outcome: AttemptOutcome, context: RetryContext): RetryDecision {
  const { request, options } = context;
  if (outcome.failure && (outcome.failure.kind === "tls" || outcome.failure.kind === "other")) {
    return { action: "throw", error: createNetworkError(outcome.failure, request, context) };
  }
  if (isAmbiguous(outcome) && !request.replayable) {
    return { action: "throw", error: ambiguousRequestError(outcome, context) };
  }
  if (outcome.response && !RETRIED_STATUSES.has(outcome.response.status)) {
    return { action: "return" };
  }
  if (context.attempt >= options.maxAttempts) {
    return giveUp(
      outcome,
      context,
      `Gave up after ${context.attempt} attempts (m365-backup:retryMaxAttempts).`,
    );
  }
  const retryAfterInMs = outcome.response
    ? parseRetryAfterInMs(outcome.response.headers["retry-after"], context.nowInMs)
    : undefined;
  if (retryAfterInMs !== undefined && retryAfterInMs > options.maxRetryAfterInMs) {
    const asked = seconds(retryAfterInMs);
    const cap = seconds(options.maxRetryAfterInMs);
    return giveUp(
      outcome,
      context,
      `Graph asked to wait ${asked} before retrying, longer than the ${cap} this client waits at most ` +
        `(retry.maxRetryAfterInMs): try again after that time.`,
    );
  }
  const delayInMs =
    retryAfterInMs ??
    backoffDelayInMs(context.attempt, options.baseDelayInMs, options.maxDelayInMs, options.random());
  if (context.nowInMs - context.startedAtInMs + delayInMs > options.deadlineInMs) {
    const deadline = seconds(options.deadlineInMs);
    return giveUp(
      outcome,
      context,
      `Waiting ${seconds(delayInMs)} more would pass the ${deadline} deadline (retry.deadlineInMs).`,
    );
  }
  const what = outcome.response ? String(outcome.response.status) : outcome.failure.code;
  const why = retryAfterInMs !== undefined ? "Retry-After" : "backoff";
  return { action: "retry", delayInMs, reason: `${what}, ${why}` };
}

/**
 * Whether the service may have applied the request: any 5xx (a gateway that gave up, or a backend that
 * failed after part of the work, answers 500, 502, 503 or 504 alike), or a reset or timeout after the
 * connection was made. A 429 is not: throttling refuses the request before doing the work.
 */
function isAmbiguous(outcome: AttemptOutcome): boolean {
  return outcome.failure ? outcome.failure.requestMaybeSent : outcome.response.status >= 500;
}

function ambiguousRequestError(outcome: AttemptOutcome, context: RetryContext): AmbiguousRequestError {
  const { request } = context;
  const cause = outcome.failure
    ? `${describeFailure(outcome.failure.kind)} (${outcome.failure.code})`
    : `Graph answered ${outcome.response.status}`;
  return new AmbiguousRequestError(
    request.method,
    request.logPath,
    new Date(context.startedAtInMs),
    cause,
    request.headers["client-request-id"],
  );
}

/** Stop retrying: the last response (or failure) becomes the error, with a note saying why. */
function giveUp(outcome: AttemptOutcome, context: RetryContext, note: string): RetryDecision {
  const error = outcome.response
    ? createGraphError(outcome.response, { scrub: context.scrub, nowInMs: context.nowInMs, note })
    : createNetworkError(outcome.failure, context.request, { scrub: context.scrub, note });
  return { action: "throw", error };
}

/**
 * The loop acting on {@link decideRetry}. Sets `Retry-Attempt` (1 for the first retry) on re-sent
 * requests, caps each attempt's timeout at the time left before the deadline, and ends at once when the
 * caller's abort signal fires.
 */
export function retryPolicy(options: RetryOptions, scrub: Scrubber, logger: GraphLogger): PipelinePolicy {
  return {
    name: "retry",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const startedAtInMs = options.now();
      for (let attempt = 1; ; attempt++) {
        throwIfAborted(request.abortSignal);
        const remainingInMs = Math.max(1, options.deadlineInMs - (options.now() - startedAtInMs));
        const attemptRequest = {
          ...(attempt > 1 ? withHeader(request, "retry-attempt", String(attempt - 1)) : request),
          timeoutInMs: Math.min(request.timeoutInMs, remainingInMs),
        };
        const outcome = await attemptOnce(attemptRequest, next);
        const decision = decideRetry(outcome, {
          request: attemptRequest,
          attempt,
          startedAtInMs,
          nowInMs: options.now(),
          options,
          scrub,
        });
        switch (decision.action) {
          case "return":
            return outcome.response as PipelineResponse;
          case "throw":
            throw decision.error;
          case "retry":
            logger.warn(
              scrub(
                `${request.method} ${request.logPath} attempt ${attempt} failed (${decision.reason}); ` +
                  `retrying in ${decision.delayInMs} ms [client-request-id ${request.headers["client-request-id"] ?? "-"}]`,
              ),
            );
            await options.sleep(decision.delayInMs, request.abortSignal);
        }
      }
    },
  };
}

async function attemptOnce(request: PipelineRequest, next: SendRequest): Promise<AttemptOutcome> {
  try {
    return { response: await next(request) };
  } catch (error) {
    if (TransportError.isInstance(error)) {
      if (error.kind === "aborted") {
        throw new AbortError();
      }
      return { failure: error };
    }
    throw error;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortError();
  }
}

/** The default {@link Sleep}: `setTimeout`, cleared when the signal fires. */
export function defaultSleep(delayInMs: number, abortSignal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (abortSignal?.aborted) {
      reject(new AbortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayInMs);
    abortSignal?.addEventListener("abort", onAbort, { once: true });
  });
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
