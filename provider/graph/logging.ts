/**
 * Logging by allowlist: one line per attempt with method, path (no query), status, attempt, duration and
 * the request ids. Headers and bodies are never logged. Every line also goes through the scrubber.
 */
import type { Scrubber } from "../redact";
import type { PipelinePolicy } from "./pipeline";
import { TransportError } from "./transport";

/** Where the client's log lines go (the provider maps this onto Pulumi's log). */
export interface GraphLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: GraphLogger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
};

/** Logs each attempt at debug level. Sits inside the retry policy, so retries are logged one by one. */
export function loggingPolicy(logger: GraphLogger, scrub: Scrubber, now: () => number): PipelinePolicy {
  return {
    name: "logging",
    async sendRequest(request, next) {
      const startedAtInMs = now();
      const attempt = Number(request.headers["retry-attempt"] ?? "0") + 1;
      const ids = (requestId: string | undefined): string =>
        `client-request-id ${request.headers["client-request-id"] ?? "-"}, request-id ${requestId ?? "-"}`;
      try {
        const response = await next(request);
        logger.debug(
          scrub(
            `${request.method} ${request.logPath} -> ${response.status} (attempt ${attempt}, ` +
              `${now() - startedAtInMs} ms, ${ids(response.headers["request-id"])})`,
          ),
        );
        return response;
      } catch (error) {
        const what = TransportError.isInstance(error) ? `${error.kind} ${error.code}` : "error";
        logger.debug(
          scrub(
            `${request.method} ${request.logPath} -> ${what} (attempt ${attempt}, ${now() - startedAtInMs} ms, ${ids(undefined)})`,
          ),
        );
        throw error;
      }
    },
  };
}
