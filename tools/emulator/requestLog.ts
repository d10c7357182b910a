/**
 * The emulator's request log: one entry per Graph, token and discovery request, so a test can count
 * exactly which calls were made. Entries carry no bodies, headers or tokens (only the allowlisted
 * fields below), so secrets cannot reach the log.
 */

/** What kind of endpoint served a request. Admin routes are not logged. */
export type RequestKind = "graph" | "token" | "discovery";

/** One logged request. */
export interface RequestLogEntry {
  /** When the request arrived (wall clock, ISO 8601). */
  readonly time: string;
  readonly kind: RequestKind;
  readonly method: string;
  /** The URL path as sent, including `/v1.0` or `/beta`. */
  readonly path: string;
  /** The query string without `?` (empty when none). */
  readonly query: string;
  /**
   * The status the emulator produced; for an ambiguous create this is the status the client never
   * saw. `0` when no response was produced at all (connection reset, hang).
   */
  readonly status: number;
  /** Whether a response reached the client (false for reset, hang and ambiguous create). */
  readonly delivered: boolean;
  /** The calling application from the bearer token or the token request, when known. */
  readonly appId?: string;
  /** The caller's `client-request-id` header, when sent. */
  readonly clientRequestId?: string;
  /** The emulator's `request-id` for the request (Graph requests). */
  readonly requestId?: string;
  /** The fault applied, e.g. `status:429`, `latency`, `reset`, `hang`, `ambiguousCreate`, `throttle`. */
  readonly fault?: string;
  readonly durationInMs: number;
}

/** A filter for {@link RequestLog.entries} and {@link RequestLog.count}. */
export interface RequestLogFilter {
  readonly kind?: RequestKind;
  readonly method?: string;
  /** Matches when the path (with or without its version prefix) starts with this. */
  readonly pathPrefix?: string;
}

const VERSION_PREFIX = /^\/(v1\.0|beta)(?=\/)/;

function matches(entry: RequestLogEntry, filter: RequestLogFilter): boolean {
  if (filter.kind !== undefined && entry.kind !== filter.kind) {
    return false;
  }
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) {
    return false;
  }
  if (filter.pathPrefix !== undefined) {
    const versionless = entry.path.replace(VERSION_PREFIX, "");
    return entry.path.startsWith(filter.pathPrefix) || versionless.startsWith(filter.pathPrefix);
  }
  return true;
}

/** The log itself. Held by the emulator; tests read it through `emulator.requestLog`. */
export class RequestLog {
  private readonly log: RequestLogEntry[] = [];

  /** Adds an entry (the server calls this once per request). */
  record(entry: RequestLogEntry): void {
    this.log.push(Object.freeze({ ...entry }));
  }

  /** Entries in arrival order, optionally filtered. */
  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.log.filter((entry) => matches(entry, filter));
  }

  /** How many entries match. */
  count(filter: RequestLogFilter = {}): number {
    return this.entries(filter).length;
  }

  /** Graph requests that may change state: every Graph request whose method is not GET. */
  writes(): RequestLogEntry[] {
    return this.log.filter((entry) => entry.kind === "graph" && entry.method !== "GET");
  }

  clear(): void {
    this.log.length = 0;
  }
}
