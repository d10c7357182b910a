/**
 * Test helpers for suites that talk to the emulator over HTTPS.
 *
 * - `useEmulator(options)` registers mocha `before`/`after` hooks that start one emulator per suite (and
 *   `afterEach` hooks that clear faults) and returns a handle whose `emulator` is the running instance.
 * - `startTestEmulator(options)` starts one with test-friendly defaults (fast restores, small pages).
 * - `graphCall(emulator, { method, path, body, client, headers })` makes one raw Graph call with a token
 *   from the emulator's token endpoint for a seeded client and returns status, headers and parsed body.
 * - `requestToken(emulator, client)` gets (and caches) that token; `rawRequest` sends anything at all.
 *
 * Calls use node:https with the emulator's CA passed explicitly, so they work with or without
 * `NODE_EXTRA_CA_CERTS`. Nothing here retries: a test sees exactly what the emulator answered.
 *
 * @example
 * const suite = useEmulator();
 * it("lists restore sessions", async () => {
 *   const res = await graphCall(suite.emulator, { method: "GET", path: "/solutions/backupRestore/restoreSessions" });
 *   expect(res.status).to.equal(200);
 * });
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { startEmulator, type ClientName, type Emulator, type EmulatorOptions } from "../../tools/emulator";

/** Defaults for tests: restores finish in tens of milliseconds, lists page every 5 items. */
export const TEST_EMULATOR_DEFAULTS: EmulatorOptions = { restoreMs: 20, pageSize: 5, unitsPerWorkload: 20 };

/** Starts an emulator with {@link TEST_EMULATOR_DEFAULTS} overridden by `options`. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ ...TEST_EMULATOR_DEFAULTS, ...options });
}

/** A suite's emulator, available inside tests once `before` has run. */
export interface EmulatorHandle {
  readonly emulator: Emulator;
}

/**
 * Starts one emulator for the enclosing mocha `describe` and closes it after. After each test, faults
 * are reset and the request log cleared (session state is kept: use a fresh suite for a fresh tenant).
 */
export function useEmulator(options: EmulatorOptions = {}): EmulatorHandle {
  let running: Emulator | undefined;
  before(async () => {
    running = await startTestEmulator(options);
  });
  afterEach(() => {
    running?.faults.reset();
    running?.requestLog.clear();
  });
  after(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    get emulator(): Emulator {
      if (running === undefined) {
        throw new Error("The emulator is not running: use it inside a test, after the suite's before hook.");
      }
      return running;
    },
  };
}

/** A raw HTTPS answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One raw HTTPS request to the emulator's origin; `path` may be absolute (e.g. an `@odata.nextLink`). */
export function rawRequest(
  emulator: Emulator,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Give up (reject with an AbortError) after this long; default: wait as long as it takes. */
    timeoutInMs?: number;
  },
): Promise<RawResponse> {
  const url = new URL(request.path, emulator.graphEndpoint);
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      url,
      {
        method: request.method,
        headers: request.headers,
        ca: readFileSync(emulator.caCertPath),
        agent: false,
        signal: request.timeoutInMs === undefined ? undefined : AbortSignal.timeout(request.timeoutInMs),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

const tokenCache = new WeakMap<Emulator, Map<ClientName, string>>();

/**
 * An access token for a seeded client. Secret clients get theirs from the token endpoint (a real
 * client-credentials request); the certificate and federated clients get one minted directly.
 */
export async function requestToken(emulator: Emulator, client: ClientName = "readWrite"): Promise<string> {
  const cached = tokenCache.get(emulator)?.get(client);
  if (cached !== undefined) {
    return cached;
  }
  const seeded = emulator.clients.find((candidate) => candidate.name === client);
  let token: string;
  if (seeded?.secret === undefined) {
    token = await emulator.issueAccessToken(client);
  } else {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: seeded.clientId,
      client_secret: seeded.secret,
      scope: "https://graph.microsoft.com/.default",
    });
    const response = await rawRequest(emulator, {
      method: "POST",
      path: `/${emulator.tenantId}/oauth2/v2.0/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    if (response.status !== 200) {
      throw new Error(`The token endpoint answered ${response.status}: ${response.text}`);
    }
    token = (JSON.parse(response.text) as { access_token: string }).access_token;
  }
  const perEmulator = tokenCache.get(emulator) ?? new Map<ClientName, string>();
  perEmulator.set(client, token);
  tokenCache.set(emulator, perEmulator);
  return token;
}

/** What {@link graphCall} sends. */
export interface GraphCall {
  /** GET, POST, PATCH, DELETE, or anything else to see how the emulator refuses it. */
  readonly method: string;
  /** `/solutions/...` (prefixed with `/{version}`), a path already starting with `/v1.0` or `/beta`, or an absolute URL. */
  readonly path: string;
  /** Sent as JSON with `content-type: application/json`. */
  readonly body?: unknown;
  /** Sent as is (no content type added unless in `headers`); wins over `body`. */
  readonly rawBody?: string;
  /** Default `readWrite`; `null` sends no Authorization header. */
  readonly client?: ClientName | null;
  /** Overrides the token (e.g. an expired or foreign one). */
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** Default `v1.0`. */
  readonly version?: "v1.0" | "beta";
  /** Give up after this long (the promise rejects). */
  readonly timeoutInMs?: number;
}

/** What {@link graphCall} returns; `body` is the parsed JSON (undefined when empty or not JSON). */
export interface GraphCallResult extends RawResponse {
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function graphPath(call: GraphCall): string {
  if (/^https?:\/\//.test(call.path) || /^\/(v1\.0|beta)(\/|$)/.test(call.path)) {
    return call.path;
  }
  return `/${call.version ?? "v1.0"}${call.path}`;
}

/** One Graph call as a seeded client; see the module comment. */
export async function graphCall(emulator: Emulator, call: GraphCall): Promise<GraphCallResult> {
  const headers: Record<string, string> = {};
  const client = call.client === undefined ? "readWrite" : call.client;
  const token = call.token ?? (client === null ? undefined : await requestToken(emulator, client));
  if (token !== undefined) {
    headers.authorization = `Bearer ${token}`;
  }
  let body: string | undefined = call.rawBody;
  if (body === undefined && call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers["content-type"] = "application/json";
  }
  const response = await rawRequest(emulator, {
    method: call.method,
    path: graphPath(call),
    headers: { ...headers, ...(call.headers ?? {}) },
    body,
    timeoutInMs: call.timeoutInMs,
  });
  let parsed: unknown;
  try {
    parsed = response.text === "" ? undefined : JSON.parse(response.text);
  } catch {
    parsed = undefined;
  }
  return { ...response, body: parsed };
}

/**
 * Asserts a Graph error answer: the HTTP status, `error.code`, and optionally that `error.message`
 * mentions a given text (the property, query option or permission it names).
 */
export function expectGraphError(
  res: { status: number; body: unknown },
  status: number,
  code: string,
  mentions?: string,
): void {
  const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(error?.code).to.equal(code);
  if (mentions !== undefined) {
    expect(error?.message).to.include(mentions);
  }
}
