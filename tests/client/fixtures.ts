/**
 * Shared set-up for the client suites that run against the emulator: settings for a seeded client,
 * a logger that keeps every line, and retry options whose sleep records the waits asked for instead of
 * waiting (the HTTP path stays real; only the waiting between attempts is skipped).
 */
import type { Emulator } from "../../tools/emulator";
import {
  createGraphClient,
  type GraphClient,
  type GraphLogger,
  type RetryOptions,
} from "../../provider/graph";
import { resolveSettings, type ProviderSettings } from "../../provider/settings";

/** Settings for the emulator's read-write client (or any secret client given its id and secret). */
export function emulatorSettings(
  emulator: Emulator,
  overrides: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): ProviderSettings {
  const values: Record<string, string> = {
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    authorityHost: emulator.authorityHost,
    graphEndpoint: emulator.graphEndpoint,
    ...overrides,
  };
  return resolveSettings((key) => values[key], env);
}

/** Settings for a seeded secret client by name. */
export function secretClientSettings(
  emulator: Emulator,
  name: "readWrite" | "readOnly" | "noRoles",
): ProviderSettings {
  const client = emulator.clients.find((candidate) => candidate.name === name);
  if (client?.secret === undefined) {
    throw new Error(`no seeded secret client ${name}`);
  }
  return emulatorSettings(emulator, { clientId: client.clientId, clientSecret: client.secret });
}

/** A logger that records every line with its level. */
export function recordingLogger(): GraphLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => void lines.push(`info ${message}`),
    warn: (message) => void lines.push(`warn ${message}`),
    debug: (message) => void lines.push(`debug ${message}`),
  };
}

/**
 * Retry options on a virtual clock: `sleep` records the wait and moves the clock forward at once, and
 * `now` is the wall clock plus everything slept so far, so deadlines and HTTP-date Retry-After values
 * are judged as if the waits had happened.
 */
export function virtualRetry(
  overrides: Partial<RetryOptions> = {},
): Partial<RetryOptions> & { waits: number[] } {
  const waits: number[] = [];
  let sleptInMs = 0;
  return {
    waits,
    random: () => 0.5,
    now: () => Date.now() + sleptInMs,
    sleep: (delayInMs) => {
      waits.push(delayInMs);
      sleptInMs += delayInMs;
      return Promise.resolve();
    },
    ...overrides,
  };
}

/** A client for the read-write app with virtual waits. */
export function virtualClient(
  emulator: Emulator,
  retry: Partial<RetryOptions> = virtualRetry(),
  logger: GraphLogger = recordingLogger(),
  timeoutInMs?: number,
): GraphClient {
  return createGraphClient(emulatorSettings(emulator), {
    retry,
    logger,
    ...(timeoutInMs ? { timeoutInMs } : {}),
  });
}

/** What `promise` rejected with; fails the test if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}
