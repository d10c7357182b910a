/**
 * The client's error types. {@link GraphError} is built in one place (`createGraphError` in
 * `errorFactory.ts`) from Graph's envelope. `toString`, `toJSON` and `util.inspect` show only
 * allowlisted fields, and no error from axios or `@azure/identity` is ever attached (`cause` included):
 * those carry request headers, and with them the bearer token.
 */
import { inspect } from "node:util";
import { hasBrand } from "../brand";

/** The fields a {@link GraphError} carries; every one is safe to print. */
export interface GraphErrorFields {
  /** HTTP status; `0` when no HTTP response was received (network failure, token failure). */
  readonly status: number;
  /** Graph's `error.code`, or one of this client's codes (`NetworkError`, `AuthenticationFailed`, `MalformedResponse`). */
  readonly code: string;
  readonly message: string;
  readonly method?: string;
  /** Path relative to `/solutions/backupRestore`, without the query. */
  readonly path?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  /** Graph's `date` (from the envelope or the `Date` header), as given. */
  readonly date?: string;
  /** How long Graph asked to wait, from `Retry-After`. */
  readonly retryAfterInMs?: number;
  /** Permissions named in a 403's advice. */
  readonly permissions?: readonly string[];
}

const GRAPH_ERROR_FIELDS = [
  "status",
  "code",
  "method",
  "path",
  "requestId",
  "clientRequestId",
  "date",
  "retryAfterInMs",
  "permissions",
] as const;

/**
 * An error that prints only the fields it lists: `toJSON`, `toString` and `util.inspect` all read
 * {@link AllowlistedError.printedFields}, so a field a subclass adds is not shown until it is listed there.
 */
export abstract class AllowlistedError extends Error {
  /** The fields safe to print, besides `name` and `message`. */
  protected abstract printedFields(): readonly string[];

  /** The allowlisted fields. */
  toJSON(): Record<string, unknown> {
    return allowlisted(this, ["name", "message", ...this.printedFields()]);
  }

  override toString(): string {
    return `${this.name}: ${this.message}${idSuffix(this as { requestId?: string; clientRequestId?: string })}`;
  }

  [inspect.custom](): string {
    return inspectView(this, this.printedFields());
  }
}

/** A failed Graph call. Branch on {@link GraphError.code} or {@link GraphError.status}, never on the message. */
export class GraphError extends AllowlistedError implements GraphErrorFields {
  /** Brand for {@link isInstance} across module copies. */
  readonly __graphErrorBrand = true;
  // The fields of GraphErrorFields, declared again: a class cannot take its fields from an interface
  // except by declaration merging, which the lint rules refuse as unsafe. `implements` keeps the two alike.
  readonly status: number;
  readonly code: string;
  readonly method?: string;
  readonly path?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly date?: string;
  readonly retryAfterInMs?: number;
  readonly permissions?: readonly string[];

  constructor(fields: GraphErrorFields) {
    super(fields.message);
    this.name = "GraphError";
    this.status = fields.status;
    this.code = fields.code;
    for (const key of GRAPH_ERROR_FIELDS) {
      if (fields[key] !== undefined) {
        Object.assign(this, { [key]: fields[key] });
      }
    }
  }

  /** True for a GraphError, even one from another copy of this module. */
  static isInstance(value: unknown): value is GraphError {
    return hasBrand<GraphError>(value, "__graphErrorBrand");
  }

  protected printedFields(): readonly string[] {
    return GRAPH_ERROR_FIELDS;
  }
}

const AMBIGUOUS_FIELDS = ["method", "path", "startedAt", "causeSummary", "clientRequestId"] as const;

/**
 * A request that is not safe to send twice (a POST that creates something) failed in a way that leaves
 * open whether the service applied it: a reset or timeout after the body may have been sent, or a 504.
 * It was not re-sent. The caller should look for what it may have created (for example a session created
 * at or after {@link AmbiguousRequestError.startedAt}) before trying again.
 */
export class AmbiguousRequestError extends AllowlistedError {
  /** Brand for {@link isInstance} across module copies. */
  readonly __ambiguousRequestErrorBrand = true;

  constructor(
    readonly method: string,
    /** Path relative to `/solutions/backupRestore`, without the query. */
    readonly path: string,
    /** When the first attempt started: anything the request created was created at or after this. */
    readonly startedAt: Date,
    /** What happened, e.g. `the connection was reset (ECONNRESET)` or `504 GatewayTimeout`. */
    readonly causeSummary: string,
    readonly clientRequestId: string | undefined,
  ) {
    super(
      `${method} ${path} may or may not have been applied: ${causeSummary}. It was not sent again because ` +
        `sending it twice could create a duplicate. Check whether it took effect (for example, look for what ` +
        `it creates with a creation time at or after ${startedAt.toISOString()}) before retrying.`,
    );
    this.name = "AmbiguousRequestError";
  }

  static isInstance(value: unknown): value is AmbiguousRequestError {
    return hasBrand<AmbiguousRequestError>(value, "__ambiguousRequestErrorBrand");
  }

  protected printedFields(): readonly string[] {
    return AMBIGUOUS_FIELDS;
  }
}

/** The caller's abort signal fired. Named `AbortError` like the platform's own. */
export class AbortError extends Error {
  constructor(message = "The operation was aborted.") {
    super(message);
    this.name = "AbortError";
  }
}

// ---- Printing ------------------------------------------------------------------------------------------

function allowlisted(error: Error, keys: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) {
      result[key] = value instanceof Date ? value.toISOString() : value;
    }
  }
  return result;
}

function idSuffix(error: { requestId?: string; clientRequestId?: string }): string {
  const ids = [
    error.requestId ? `request-id ${error.requestId}` : undefined,
    error.clientRequestId ? `client-request-id ${error.clientRequestId}` : undefined,
  ].filter(Boolean);
  return ids.length > 0 ? ` [${ids.join(", ")}]` : "";
}

function inspectView(error: Error, keys: readonly string[]): string {
  const fields = allowlisted(error, keys);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return [`${error.name}: ${error.message}`, ...frames, `  ${JSON.stringify(fields)}`].join("\n");
}
