#!/usr/bin/env node
/**
 * `m365-backup-emulator` (also `npm run emulator`): starts the emulator, prints exactly one JSON line
 * to stdout when it is ready (endpoints, tenant, the read-write client and every seeded client with its
 * secret), then human help on stderr, and runs until SIGINT or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startEmulator, type Emulator, type EmulatorOptions } from "./index";

/** Default typical restore time per artifact: a demo session finishes in a few seconds. */
export const CLI_DEFAULT_RESTORE_MS = 1500;

const USAGE = `Usage: m365-backup-emulator [--port N] [--seed S] [--units N] [--restore-ms N] [--page-size N] [--latency-ms N]

  --port N         TCP port on 127.0.0.1 (default 0: any free port)
  --seed S         seed for the tenant, ids and timings (default m365-backup)
  --units N        protection units per workload (default 20)
  --restore-ms N   typical ms one artifact takes from scheduled to done (default ${CLI_DEFAULT_RESTORE_MS})
  --page-size N    page size of paged lists (default 10)
  --latency-ms N   latency added to every Graph request (default 0)
`;

/** Parsed command line. */
export interface CliArguments {
  readonly help: boolean;
  readonly options: EmulatorOptions;
}

function integerFlag(name: string, text: string | undefined, minimum: number): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`--${name} takes an integer of at least ${minimum}, got '${text}'.`);
  }
  return value;
}

/** Reads the flags; throws with a message naming the bad flag. */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      seed: { type: "string" },
      units: { type: "string" },
      "restore-ms": { type: "string" },
      "page-size": { type: "string" },
      "latency-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const port = integerFlag("port", values.port, 0);
  if (port !== undefined && port > 65535) {
    throw new RangeError(`--port takes 0..65535, got ${port}.`);
  }
  return {
    help: values.help === true,
    options: {
      port,
      seed: values.seed,
      unitsPerWorkload: integerFlag("units", values.units, 1),
      restoreMs: integerFlag("restore-ms", values["restore-ms"], 0) ?? CLI_DEFAULT_RESTORE_MS,
      pageSize: integerFlag("page-size", values["page-size"], 1),
      latencyInMs: integerFlag("latency-ms", values["latency-ms"], 0),
    },
  };
}

/** The single JSON line printed on stdout when ready. */
export function readyLine(emulator: Emulator): string {
  return JSON.stringify({
    graphEndpoint: emulator.graphEndpoint,
    authorityHost: emulator.authorityHost,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    caCertPath: emulator.caCertPath,
    clients: emulator.clients.map(({ name, clientId, credential, secret, roles }) => ({
      name,
      clientId,
      credential,
      secret,
      roles,
    })),
    certificateClient: emulator.certificateClient,
    federatedClient: {
      clientId: emulator.federatedClient.clientId,
      issuer: emulator.federatedClient.issuer,
      subject: emulator.federatedClient.subject,
      audience: emulator.federatedClient.audience,
    },
  });
}

/** CPU time this process has used so far (all threads), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

function helpText(emulator: Emulator): string {
  return `
m365-backup emulator ready in ${emulator.startupInMs} ms (process CPU ${cpuMs()} ms): Graph and Entra ID at ${emulator.graphEndpoint}
tenant ${emulator.tenantId}

To point the provider, the drill or @azure/identity at it, export:

  export NODE_EXTRA_CA_CERTS='${emulator.caCertPath}'
  export AZURE_TENANT_ID='${emulator.tenantId}'
  export AZURE_CLIENT_ID='${emulator.clientId}'
  export AZURE_CLIENT_SECRET='<clientSecret from the JSON line on stdout>'
  export AZURE_AUTHORITY_HOST='${emulator.authorityHost}'
  export M365_BACKUP_GRAPH_ENDPOINT='${emulator.graphEndpoint}'

Or, for the certificate client (no secret):
  export AZURE_CLIENT_ID='${emulator.certificateClient.clientId}'
  export AZURE_CLIENT_CERTIFICATE_PATH='${emulator.certificateClient.certificatePath}'

NODE_EXTRA_CA_CERTS is read when Node starts: set it before starting the client process.
Admin routes (no token): ${emulator.graphEndpoint}/_emulator/{faults,requests,clock,clients,service-status}
Stop with Ctrl-C (SIGINT) or SIGTERM.
`;
}

async function main(): Promise<void> {
  let parsed: CliArguments;
  try {
    parsed = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stderr.write(USAGE);
    return;
  }
  const emulator = await startEmulator(parsed.options);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the emulator\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`failed to stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Help first, so that whoever reads the JSON line can rely on the help being there too.
  process.stderr.write(helpText(emulator));
  process.stdout.write(`${readyLine(emulator)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `m365-backup-emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
