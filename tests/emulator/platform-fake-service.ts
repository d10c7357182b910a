/**
 * A tiny Graph service for the platform suites: it lets transport, identity, fault and log tests run
 * through the real HTTPS server without depending on the restore-session service. `/echo` reflects the
 * GraphRequest it received, `/fail` throws a GraphServiceError, `/boom` throws a plain error (an emulator
 * bug), `/create` counts processed creates.
 */
import { EmulatorClock } from "../../tools/emulator/clock";
import { GraphServiceError, type GraphRequest, type GraphResponse } from "../../tools/emulator/contract";
import type { EmulatorGraphService, GraphServiceSettings } from "../../tools/emulator";

/** A fake service plus what it observed. */
export interface FakeGraphService {
  readonly factory: (settings: GraphServiceSettings) => EmulatorGraphService;
  /** Requests that reached the service, in order. */
  readonly seen: GraphRequest[];
  /** Statuses set through setServiceStatus. */
  readonly statuses: string[];
}

function echo(request: GraphRequest): GraphResponse {
  return {
    status: 200,
    body: {
      method: request.method,
      apiVersion: request.apiVersion,
      path: request.path,
      query: request.query.toString(),
      body: request.body,
      caller: request.caller,
      baseUrl: request.baseUrl,
      includeUnknownEnumMembers: request.includeUnknownEnumMembers,
      headerNames: Object.keys(request.headers),
    },
  };
}

/** Makes a fresh fake; pass `fake.factory` as `createService`. */
export function fakeGraphService(): FakeGraphService {
  const seen: GraphRequest[] = [];
  const statuses: string[] = [];
  let created = 0;
  const respond = (request: GraphRequest): GraphResponse => {
    seen.push(request);
    switch (request.path) {
      case "/echo":
        return echo(request);
      case "/fail":
        throw new GraphServiceError(404, "RestoreSessionNotFound", "No restore session has that id.", {
          "x-fake": "yes",
        });
      case "/boom":
        throw new Error("a bug inside the service");
      case "/create":
        created += 1;
        return { status: 201, body: { id: `session-${created}` } };
      case "/empty":
        return { status: 204 };
      default:
        throw new GraphServiceError(
          404,
          "ResourceNotFound",
          `Resource not found for the path '${request.path}'.`,
        );
    }
  };
  const handle = (request: GraphRequest): Promise<GraphResponse> =>
    Promise.resolve().then(() => respond(request));
  const factory = (settings: GraphServiceSettings): EmulatorGraphService =>
    ({
      clock: settings.clock ?? new EmulatorClock(),
      tenant: {},
      handle,
      setServiceStatus: (status: string) => statuses.push(status),
    }) as unknown as EmulatorGraphService;
  return { factory, seen, statuses };
}
