/**
 * Bearer token policy: one token per {@link TokenState} (shared by every client of the same settings in
 * the process, see `tokenCache.ts`, or owned by one client given its own credential), reused until five
 * minutes before it expires, one token request in flight at a time. A 401 from Graph drops the cached
 * token so the next call asks anew.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import type { Scrubber } from "../redact";
import { GRAPH_SCOPE } from "../auth";
import { createAuthenticationError } from "./errorFactory";
import type { PipelinePolicy, PipelineRequest } from "./pipeline";
import { withHeader } from "./pipeline";
import type { TokenState } from "./tokenCache";
import { TransportError } from "./transport";

/** Refresh this long before expiry. */
export const TOKEN_REFRESH_MARGIN_IN_MS = 5 * 60_000;

/**
 * Adds `Authorization: Bearer <token>` for {@link GRAPH_SCOPE}, caching the token in `cache` (a fresh
 * one per client unless given).
 */
export function bearerTokenPolicy(
  credential: TokenCredential,
  credentialKind: string,
  scrub: Scrubber,
  now: () => number,
  cache: TokenState = {},
): PipelinePolicy {
  const fetchToken = async (abortSignal: AbortSignal | undefined): Promise<AccessToken> => {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(GRAPH_SCOPE, { abortSignal });
    } catch (error) {
      throw createAuthenticationError(error, credentialKind, scrub);
    }
    if (!token) {
      throw createAuthenticationError(new Error("the credential returned no token"), credentialKind, scrub);
    }
    return token;
  };

  /** Starts a token request that the whole process shares until it settles. */
  const startFetch = (abortSignal: AbortSignal | undefined): Promise<AccessToken> => {
    const pending: Promise<AccessToken> = fetchToken(abortSignal).finally(() => {
      if (cache.pending === pending) cache.pending = undefined;
    });
    // A caller that timed out stops listening; the request's late failure must not go unhandled.
    pending.catch(() => undefined);
    return pending;
  };

  const getToken = async (request: PipelineRequest): Promise<string> => {
    if (cache.token && cache.token.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_IN_MS > now()) {
      return cache.token.token;
    }
    const pending = (cache.pending ??= startFetch(request.abortSignal));
    cache.token = await withinAttemptTimeout(pending, request.timeoutInMs, () => {
      // A token endpoint that hangs must not hold every later request: the next attempt asks anew.
      if (cache.pending === pending) cache.pending = undefined;
    });
    return cache.token.token;
  };

  return {
    name: "bearerToken",
    async sendRequest(request, next) {
      const token = await getToken(request);
      const response = await next(withHeader(request, "authorization", `Bearer ${token}`));
      // Drop the token Graph refused, not one another client has fetched since.
      if (response.status === 401 && cache.token?.token === token) {
        cache.token = undefined;
      }
      return response;
    },
  };
}

/**
 * `token`, or a {@link TransportError} of kind `tokenTimeout` once the attempt's time is up. `@azure/identity`
 * sets no limit of its own on a token request, so without this a hanging authority would hold the
 * provider until the engine gave up. The error says the Graph request was not sent, so the retry policy
 * sends it again whatever its method, and gives up with a message naming the authority.
 */
function withinAttemptTimeout<T>(token: Promise<T>, timeoutInMs: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new TransportError("tokenTimeout", "ETIMEDOUT", false));
    }, timeoutInMs);
    token.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
