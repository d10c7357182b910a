/**
 * The Graph client for `/solutions/backupRestore`: typed verbs over one pipeline
 * (client-request-id → User-Agent → Prefer → retry → bearer token → logging → axios).
 * Build one per provider call with {@link createGraphClient}. The credential and its token come from the
 * process-wide cache (`tokenCache.ts`) unless a credential is given, so clients are cheap to build.
 */
import { inspect } from "node:util";
import type { TokenCredential } from "@azure/identity";
import { createScrubber, type Scrubber } from "../redact";
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, secretValues, type ProviderSettings } from "../settings";
import { createGraphError } from "./errorFactory";
import { AmbiguousRequestError } from "./errors";
import { loggingPolicy, silentLogger, type GraphLogger } from "./logging";
import {
  clientRequestIdPolicy,
  composePipeline,
  parseJsonBody,
  preferUnknownEnumMembersPolicy,
  userAgentPolicy,
  type HttpMethod,
  type PipelineResponse,
  type SendRequest,
} from "./pipeline";
import { resolveRetryOptions, retryPolicy, type RetryOptions } from "./retry";
import { sharedCredential, type CachedCredential } from "./tokenCache";
import { bearerTokenPolicy } from "./tokenPolicy";
import { axiosTransport } from "./transport";
import { userAgent } from "./userAgent";

/** Per-request options. */
export interface GraphRequestOptions {
  abortSignal?: AbortSignal;
  /**
   * Whether the request may be sent again after an ambiguous failure (a reset or timeout after it went
   * out, or a 504). Default: true for GET and DELETE, false for POST and PATCH (a POST creates; a PATCH
   * `@delta` adds artifacts, so neither is idempotent). Set true for POSTs that only read, such as search.
   */
  replayable?: boolean;
  /** Limit for each attempt. Default: the client's `timeoutInMs`. */
  timeoutInMs?: number;
  /** Where the ids in the path came from, named if one is refused (`pathId.ts`). */
  idSource?: string;
}

/** Options of {@link createGraphClient}. */
export interface CreateGraphClientOptions {
  logger?: GraphLogger;
  /** Retry options; `maxAttempts` defaults to the settings' `retryMaxAttempts`. */
  retry?: Partial<RetryOptions>;
  /**
   * Overrides the credential built from the settings (tests, or a caller with its own). A given
   * credential gets a token cache of its own that lives as long as the client.
   */
  credential?: TokenCredential;
  /** Default limit for each attempt. Default: the settings' `requestTimeoutInMs` (100 s unless configured). */
  timeoutInMs?: number;
}

/** Default limit for one attempt, when neither the settings nor the options give one. */
export const DEFAULT_TIMEOUT_IN_MS = DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;

/** The path under the version root that every client path is relative to. */
export const SERVICE_PATH = "/solutions/backupRestore";

/** What a {@link GraphClient} is made of; {@link createGraphClient} builds it. */
export interface GraphClientParts {
  readonly send: SendRequest;
  readonly settings: Pick<ProviderSettings, "graphEndpoint" | "apiVersion">;
  readonly scrub: Scrubber;
  readonly now: () => number;
  readonly defaultTimeoutInMs: number;
}

/**
 * How far Graph's clock may be behind ours, measured from its `Date` response headers. A `Date` value
 * is truncated to the second and was stamped before the response reached us, so Graph's clock read at
 * least `date - receivedAt` ahead of ours: `offsetInMs` is the largest such bound seen (negative when
 * Graph is behind). Only these two numbers are kept; no header, URL or body.
 */
export interface MeasuredClockSkew {
  /** Graph's clock minus ours, a lower bound. */
  readonly offsetInMs: number;
  /** How many responses carried a usable `Date`. */
  readonly samples: number;
}

/** One page of a Graph collection. */
interface CollectionPage<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

/** Calls Graph's backup-restore API. Paths are relative to `{graphEndpoint}/{apiVersion}/solutions/backupRestore`. */
export class GraphClient {
  /** `{graphEndpoint}/{apiVersion}`. */
  readonly versionRoot: string;
  /** `{graphEndpoint}/{apiVersion}/solutions/backupRestore`. */
  readonly serviceRoot: string;

  private readonly send: SendRequest;
  private readonly settings: Pick<ProviderSettings, "graphEndpoint" | "apiVersion">;
  private readonly scrub: Scrubber;
  private readonly now: () => number;
  private readonly defaultTimeoutInMs: number;
  private skew: MeasuredClockSkew | undefined;

  /** Use {@link createGraphClient}; this constructor only wires an already built pipeline. */
  constructor(parts: GraphClientParts) {
    this.send = parts.send;
    // Copy the two fields: the settings object also carries the (non-enumerable) secrets.
    this.settings = { graphEndpoint: parts.settings.graphEndpoint, apiVersion: parts.settings.apiVersion };
    this.scrub = parts.scrub;
    this.now = parts.now;
    this.defaultTimeoutInMs = parts.defaultTimeoutInMs;
    this.versionRoot = `${parts.settings.graphEndpoint}/${parts.settings.apiVersion}`;
    this.serviceRoot = `${this.versionRoot}${SERVICE_PATH}`;
  }

  /** Graph's clock against ours, from the `Date` headers of this client's responses; undefined before any. */
  clockSkew(): MeasuredClockSkew | undefined {
    return this.skew;
  }

  /** Prints as its service root only. */
  [inspect.custom](): string {
    return `GraphClient { ${this.serviceRoot} }`;
  }

  /**
   * GET a resource; resolves to its parsed JSON. The path may carry a query; characters HTTP cannot
   * carry raw (spaces in a `$filter`) are percent-encoded, and a literal `&`, `#` or `%` inside a value
   * must be encoded by the caller.
   */
  async get<T>(path: string, options?: GraphRequestOptions): Promise<T> {
    return (await this.request("GET", this.resolvePath(path), undefined, options)) as T;
  }

  /** POST; resolves to the parsed response (undefined for an empty body). Not replayable unless told. */
  async post<T>(path: string, body?: unknown, options?: GraphRequestOptions): Promise<T> {
    return (await this.request("POST", this.resolvePath(path), body, options)) as T;
  }

  /** PATCH; resolves to the parsed response. Not replayable unless told. */
  async patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T> {
    return (await this.request("PATCH", this.resolvePath(path), body, options)) as T;
  }

  /** DELETE. */
  async delete(path: string, options?: GraphRequestOptions): Promise<void> {
    await this.request("DELETE", this.resolvePath(path), undefined, options);
  }

  /**
   * Iterates a collection's items across pages, following `@odata.nextLink` exactly as given. A
   * relative link is taken relative to the version root (Graph writes them as `/solutions/...`); an
   * absolute one must stay on the Graph endpoint's origin, so the bearer token never goes elsewhere.
   */
  async *paginate<T>(path: string, options?: GraphRequestOptions): AsyncIterableIterator<T> {
    let url: string | undefined = this.resolvePath(path);
    while (url !== undefined) {
      const page = await this.request("GET", url, undefined, options, {
        expectCollection: "a collection page with a value array",
      });
      const { value, "@odata.nextLink": nextLink } = page as CollectionPage<T>;
      yield* value;
      url = nextLink === undefined || nextLink === null ? undefined : this.resolveNextLink(nextLink);
    }
  }

  private async request(
    method: HttpMethod,
    url: string,
    body: unknown,
    options: GraphRequestOptions = {},
    answer: { readonly expectCollection?: string } = {},
  ): Promise<unknown> {
    const startedAtInMs = this.now();
    const replayable = options.replayable ?? (method === "GET" || method === "DELETE");
    const response = await this.send({
      method,
      url,
      logPath: this.logPath(url),
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      replayable,
      timeoutInMs: options.timeoutInMs ?? this.defaultTimeoutInMs,
      abortSignal: options.abortSignal,
    });
    this.measureSkew(response);
    if (!replayable && isUnreadableSuccess(response)) {
      // Graph said it did the work, but what it made cannot be read (a truncated answer): for a write
      // that must not be sent twice, this is as ambiguous as a dropped connection, and is settled the
      // same way (by looking for what it made).
      throw new AmbiguousRequestError(
        method,
        response.request.logPath,
        new Date(startedAtInMs),
        `Graph answered ${response.status} with a body that is not JSON`,
        response.request.headers["client-request-id"],
      );
    }
    return this.readBody(response, answer.expectCollection);
  }

  private measureSkew(response: PipelineResponse): void {
    const date = Date.parse(response.headers.date ?? "");
    if (!Number.isFinite(date)) return;
    const bound = date - this.now();
    this.skew = {
      offsetInMs: this.skew === undefined ? bound : Math.max(this.skew.offsetInMs, bound),
      samples: (this.skew?.samples ?? 0) + 1,
    };
  }

  private readBody(response: PipelineResponse, expectCollection: string | undefined): unknown {
    const context = { scrub: this.scrub, nowInMs: this.now() };
    if (response.status < 200 || response.status >= 300) {
      throw createGraphError(response, context);
    }
    const parsed = parseJsonBody(response);
    if (!parsed.ok) {
      throw createGraphError(response, { ...context, unexpectedBody: "JSON" });
    }
    if (expectCollection && !Array.isArray((parsed.value as { value?: unknown } | undefined)?.value)) {
      throw createGraphError(response, { ...context, unexpectedBody: expectCollection });
    }
    return parsed.value;
  }

  /** A client path (`/restoreSessions/x`, `restoreSessions/x`, or `""` for the root) as an absolute URL. */
  private resolvePath(path: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) {
      throw new Error(`GraphClient paths are relative to ${SERVICE_PATH}; got an absolute URL.`);
    }
    if (path === "" || path === "/") {
      return this.serviceRoot;
    }
    const url = `${this.serviceRoot}${path.startsWith("/") || path.startsWith("?") ? "" : "/"}${path}`;
    // The URL parser percent-encodes what HTTP cannot carry raw (spaces and quotes in a `$filter`) and
    // leaves what is already encoded alone.
    return new URL(url).href;
  }

  private resolveNextLink(nextLink: string): string {
    const origin = new URL(this.settings.graphEndpoint).origin;
    if (/^[a-z][a-z0-9+.-]*:/i.test(nextLink)) {
      if (new URL(nextLink).origin !== origin) {
        throw new Error(
          `Graph returned an @odata.nextLink on another origin than ${origin}; not following it, so the ` +
            `access token is not sent elsewhere.`,
        );
      }
      return nextLink;
    }
    if (nextLink.startsWith(`/${this.settings.apiVersion}/`)) {
      return `${origin}${nextLink}`;
    }
    return nextLink.startsWith("/") ? `${this.versionRoot}${nextLink}` : `${this.serviceRoot}/${nextLink}`;
  }

  /** The loggable part of a URL: the path under the service root, without the query. */
  private logPath(url: string): string {
    const pathname = new URL(url).pathname;
    for (const prefix of [new URL(this.serviceRoot).pathname, new URL(this.versionRoot).pathname]) {
      if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
        return pathname.slice(prefix.length) || "/";
      }
    }
    return pathname;
  }
}

/** A 2xx whose non-empty body does not parse as JSON. */
function isUnreadableSuccess(response: PipelineResponse): boolean {
  return (
    response.status >= 200 &&
    response.status < 300 &&
    response.bodyText.trim() !== "" &&
    !parseJsonBody(response).ok
  );
}

/**
 * Builds a client from resolved settings. Unless one is given, the credential and its cached token
 * come from the process-wide cache keyed by a digest of the settings ({@link sharedCredential}), so
 * every client of one provider host shares one token. Secrets from the settings feed the scrubber that
 * cleans every message and log line.
 *
 * @example
 * ```ts
 * const client = createGraphClient(resolveSettings(config), { logger });
 * const session = await client.get<RestoreSession>(`/restoreSessions/${id}`);
 * ```
 */
export function createGraphClient(
  settings: ProviderSettings,
  options: CreateGraphClientOptions = {},
): GraphClient {
  const retry = resolveRetryOptions({ maxAttempts: settings.retryMaxAttempts, ...options.retry });
  const scrub = createScrubber(secretValues(settings));
  const logger = options.logger ?? silentLogger;
  const { credential, tokens }: CachedCredential = options.credential
    ? { credential: options.credential, tokens: {} }
    : sharedCredential(settings);
  const send = composePipeline(
    [
      clientRequestIdPolicy(),
      userAgentPolicy(userAgent()),
      preferUnknownEnumMembersPolicy(),
      retryPolicy(retry, scrub, logger),
      bearerTokenPolicy(
        credential,
        options.credential ? "given" : settings.credentialKind,
        scrub,
        retry.now,
        tokens,
      ),
      loggingPolicy(logger, scrub, retry.now),
    ],
    axiosTransport,
  );
  return new GraphClient({
    send,
    settings,
    scrub,
    now: retry.now,
    defaultTimeoutInMs: options.timeoutInMs ?? settings.requestTimeoutInMs,
  });
}
