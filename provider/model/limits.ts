/**
 * Graph's documented request limits (Microsoft Graph's backup storage API reference: the restore
 * session error codes and the bulk addition request resources).
 */

/**
 * Graph accepts at most this many artifacts in one request: a create body or one `@delta` PATCH
 * (400 `RestoreArtifactsLimitBreached`), and so at most this many granular mailbox artifacts per session.
 */
export const ARTIFACTS_PER_REQUEST = 50;

/** Graph accepts at most this many sites or users in one bulk addition request. */
export const BULK_RESOURCES_LIMIT = 10_000;
