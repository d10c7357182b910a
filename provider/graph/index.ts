/**
 * The Microsoft Graph client for `/solutions/backupRestore`: the client, its errors, its logger
 * interface and the typed operations (the wire shapes they take and answer are in `provider/model/`).
 */
export { GraphClient, createGraphClient, DEFAULT_TIMEOUT_IN_MS, SERVICE_PATH } from "./client";
export type { GraphRequestOptions, CreateGraphClientOptions } from "./client";
export { GraphError, AmbiguousRequestError, AbortError } from "./errors";
export type { GraphErrorFields } from "./errors";
export type { GraphLogger } from "./logging";
export { silentLogger } from "./logging";
export { DEFAULT_RETRY_OPTIONS, decideRetry, defaultSleep } from "./retry";
export type { RetryOptions, RetryDecision, Sleep } from "./retry";
export { parseRetryAfterInMs, backoffDelayInMs } from "./retryAfter";
export { requiredPermissions } from "./permissions";
export {
  cachedCredentialCount,
  clearCredentialCache,
  credentialCacheKey,
  MAX_CACHED_CREDENTIALS,
  sharedCredential,
} from "./tokenCache";
export type { CachedCredential, TokenState } from "./tokenCache";
export * from "./backupRestore";
