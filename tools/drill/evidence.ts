/**
 * `--emulator-evidence FILE`: what the emulator itself saw during the drill, written next to the
 * report so a test (or a sceptical reader) can check the report against it: the request log, and the
 * final state of every restore session read straight from the emulator's service (not over HTTP and
 * not through the drill's Graph client, so the report's own reading path is not checking itself).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator, RequestLogEntry } from "../emulator";
import type { GraphRequest } from "../emulator/contract";
import { KIND_SCHEMAS, RESTORE_SESSION_KINDS } from "../../provider/model";

/** The evidence file's shape. */
export interface EmulatorEvidence {
  readonly tenantId: string;
  /** The application the drill program used. */
  readonly programAppId: string;
  readonly requestLog: readonly RequestLogEntry[];
  readonly sessions: readonly {
    readonly session: Record<string, unknown>;
    readonly artifacts: Record<string, unknown>[];
  }[];
}

const SERVICE = "/solutions/backupRestore";

async function read(emulator: Emulator, servicePath: string, query = ""): Promise<Record<string, unknown>> {
  const request: GraphRequest = {
    method: "GET",
    apiVersion: "v1.0",
    path: `${SERVICE}${servicePath}`,
    query: new URLSearchParams(query),
    headers: {},
    body: undefined,
    caller: { appId: "drill-evidence", roles: ["BackupRestore-Restore.Read.All"] },
    baseUrl: emulator.graphEndpoint,
    includeUnknownEnumMembers: true,
  };
  const response = await emulator.service.handle(request);
  if (response.status !== 200) {
    throw new Error(`evidence: GET ${servicePath} answered ${response.status}`);
  }
  return response.body as Record<string, unknown>;
}

/** Every item of a paged list, following `@odata.nextLink` through the service. */
async function readAll(emulator: Emulator, servicePath: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let query = "";
  for (;;) {
    const page = await read(emulator, servicePath, query);
    items.push(...((page.value as Record<string, unknown>[] | undefined) ?? []));
    const next = page["@odata.nextLink"];
    if (typeof next !== "string") {
      return items;
    }
    query = new URL(next).search;
  }
}

/** Collects the evidence and writes it as JSON. */
export async function writeEmulatorEvidence(
  emulator: Emulator,
  programAppId: string,
  file: string,
): Promise<void> {
  const sessions = [];
  for (const id of emulator.service.sessionIds()) {
    const session = await read(emulator, `/restoreSessions/${encodeURIComponent(id)}`);
    const odataType = session["@odata.type"];
    const type = typeof odataType === "string" ? odataType.toLowerCase() : "";
    const kind = RESTORE_SESSION_KINDS.find(
      (candidate) => KIND_SCHEMAS[candidate].odataType.toLowerCase() === type,
    );
    const artifacts =
      kind === undefined
        ? []
        : await readAll(
            emulator,
            `/${KIND_SCHEMAS[kind].entitySet}/${encodeURIComponent(id)}/${KIND_SCHEMAS[kind].standardProperty}`,
          );
    sessions.push({ session, artifacts });
  }
  const evidence: EmulatorEvidence = {
    tenantId: emulator.tenantId,
    programAppId,
    requestLog: emulator.requestLog.entries(),
    sessions,
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(evidence, null, 2)}\n`);
}
