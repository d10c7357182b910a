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
import type { PipelinePolicy } from "./pipeline";
import { withHeader } from "./pipeline";
import type { TokenState } from "./tokenCache";

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

  const getToken = async (abortSignal: AbortSignal | undefined): Promise<string> => {
    if (cache.token && cache.token.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_IN_MS > now()) {
      return cache.token.token;
    }
    cache.pending ??= fetchToken(abortSignal).finally(() => {
      cache.pending = undefined;
    });
    cache.token = await cache.pending;
    return cache.token.token;
  };

  return {
    name: "bearerToken",
    async sendRequest(request, next) {
      const token = await getToken(request.abortSignal);
      const response = await next(withHeader(request, "authorization", `Bearer ${token}`));
      // Drop the token Graph refused, not one another client has fetched since.
      if (response.status === 401 && cache.token?.token === token) {
        cache.token = undefined;
      }
      return response;
    },
  };
}
