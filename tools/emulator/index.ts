/**
 * The Graph backup emulator: a local HTTPS Microsoft Graph (backup restore APIs) and Entra ID for one
 * tenant. `startEmulator()` is the programmatic entry point; `tools/emulator/cli.ts` wraps it for a terminal.
 *
 * @example
 * const emulator = await startEmulator({ restoreMs: 20 });
 * const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, emulator.clientSecret, {
 *   authorityHost: emulator.authorityHost,
 *   disableInstanceDiscovery: true,
 * });
 * // ... call `${emulator.graphEndpoint}/v1.0/solutions/backupRestore/restoreSessions`
 * await emulator.close();
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EmulatorClock } from "./clock";
import { Faults, type ThrottleSettings } from "./faults";
import { AccessTokenIssuer, createSigningKey, type IssueOptions } from "./identity/accessTokens";
import {
  ClientRegistry,
  DEFAULT_FEDERATED_SUBJECT,
  FEDERATED_AUDIENCE,
  type ClientCredentialKind,
  type ClientName,
  type SecretClientName,
} from "./identity/clients";
import { EntraTenant } from "./identity/entra";
import { OIDC_ISSUER_PATH, OidcIssuer, type WorkloadTokenOptions } from "./identity/oidcIssuer";
import { processKey } from "./keyCache";
import { seededGuid } from "./random";
import { RequestLog } from "./requestLog";
import { EmulatorServer } from "./server";
import { createGraphService } from "./service";
import {
  CA_CERT_FILE,
  CA_KEY_FILE,
  createCertificateAuthority,
  createSelfSignedCertificate,
  issueServerCertificate,
  readCertificateAuthority,
  type CertificateAuthorityFiles,
} from "./tls";

export { EmulatorClock } from "./clock";
export type { FaultAction, FaultRule, FaultTarget, ThrottleSettings } from "./faults";
export { Faults } from "./faults";
export { emulatorStackConfig, type StackConfigValue } from "./stackConfig";
export type { RequestKind, RequestLogEntry, RequestLogFilter } from "./requestLog";
export { RequestLog } from "./requestLog";
export { Roles, type ClientName, type SecretClientName } from "./identity/clients";
export { createCertificateAuthority, type CertificateAuthorityFiles } from "./tls";

/** Environment variable naming a directory with `ca.pem` and `ca-key.pem` to sign the server certificate. */
export const CA_DIR_ENV = "M365_BACKUP_EMULATOR_CA_DIR";

/** The Graph service the emulator serves (the service half's factory result). */
export type EmulatorGraphService = ReturnType<typeof createGraphService>;

/** Settings handed to the service factory. */
export type GraphServiceSettings = Parameters<typeof createGraphService>[0];

/** Options for {@link startEmulator}; every one has a default. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
  /** Seed for the tenant, ids and timings; default `m365-backup`. */
  readonly seed?: string;
  /** Protection units per workload; default 20. */
  readonly unitsPerWorkload?: number;
  /** Typical time one artifact takes from scheduled to done, in ms; default 2000 (a short demo). */
  readonly restoreMs?: number;
  /** Page size of paged lists; default 10. */
  readonly pageSize?: number;
  /** At most this many sessions active at once (Graph: 25). */
  readonly maxActiveSessions?: number;
  /** Latency added to every Graph request, in ms; default 0. */
  readonly latencyInMs?: number;
  /** Seeded throttling: this fraction of Graph requests get 429. */
  readonly throttle?: ThrottleSettings;
  /** Fixed secrets for seeded secret clients (otherwise random per start). */
  readonly clientSecrets?: Partial<Record<SecretClientName, string>>;
  /** CA that signs the server certificate; default `M365_BACKUP_EMULATOR_CA_DIR`, else a fresh one. */
  readonly certificateAuthority?: CertificateAuthorityFiles;
  /** The emulator clock; default a new one on the wall clock. */
  readonly clock?: EmulatorClock;
  /** Told about internal errors (emulator bugs); default writes them to stderr. */
  readonly onInternalError?: (error: unknown) => void;
  /** Replaces the Graph service (transport tests use a small fake); default `createGraphService`. */
  readonly createService?: (settings: GraphServiceSettings) => EmulatorGraphService;
}

/** A seeded client as reported to callers. */
export interface EmulatorClient {
  readonly name: ClientName;
  readonly clientId: string;
  readonly credential: ClientCredentialKind;
  /** Secret clients only. */
  readonly secret?: string;
  readonly roles: readonly string[];
}

/** The federated (workload identity) client and its test OIDC issuer. */
export interface FederatedClient {
  readonly clientId: string;
  /** The issuer the client's federated credential trusts (`{origin}/_emulator/oidc`). */
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
  /** A workload token from the test issuer (defaults: the trusted subject and audience). */
  issueToken(options?: WorkloadTokenOptions): Promise<string>;
  /** Writes a fresh workload token to a file (as GitHub Actions or AKS do) and returns its path. */
  writeTokenFile(options?: WorkloadTokenOptions): Promise<string>;
}

/** A running emulator. */
export interface Emulator {
  /** `https://127.0.0.1:PORT`, without a version segment. */
  readonly graphEndpoint: string;
  /** Same origin; pass as `authorityHost` with `disableInstanceDiscovery: true`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** The read-write client's id and secret. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clients: readonly EmulatorClient[];
  /** The certificate client: a PEM file with its certificate and private key. */
  readonly certificateClient: { readonly clientId: string; readonly certificatePath: string };
  readonly federatedClient: FederatedClient;
  /** The CA certificate that signed the server certificate (for `NODE_EXTRA_CA_CERTS`). */
  readonly caCertPath: string;
  readonly faults: Faults;
  readonly requestLog: RequestLog;
  readonly clock: EmulatorClock;
  readonly service: EmulatorGraphService;
  /** Switches the backup service status (`enabled`, `restoreLocked`, `disabled`, ...). */
  setServiceStatus(status: string): void;
  /** Issues an access token directly (tests use it for expired or wrong-audience tokens). */
  issueAccessToken(client: ClientName, options?: IssueOptions): Promise<string>;
  /** How long `startEmulator` took, in ms. */
  readonly startupInMs: number;
  /** Stops the server, drops open connections and removes the emulator's temporary files. */
  close(): Promise<void>;
}

async function resolveCertificateAuthority(
  options: EmulatorOptions,
  workDir: string,
): Promise<CertificateAuthorityFiles> {
  if (options.certificateAuthority !== undefined) {
    return options.certificateAuthority;
  }
  const dir = process.env[CA_DIR_ENV];
  if (dir !== undefined && dir !== "") {
    return { certPath: path.join(dir, CA_CERT_FILE), keyPath: path.join(dir, CA_KEY_FILE) };
  }
  return createCertificateAuthority(path.join(workDir, "ca"));
}

function reportInternalError(error: unknown): void {
  console.error("m365-backup emulator internal error:", error);
}

/** Starts an emulator and resolves when it accepts connections. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const started = Date.now();
  const seed = options.seed ?? "m365-backup";
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "m365-backup-emulator-"));
  try {
    return await assemble(options, seed, workDir, started);
  } catch (error) {
    await fs.rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** The tenant's Entra ID: app registrations, the token issuer and the test OIDC issuer. */
interface Identity {
  readonly clients: ClientRegistry;
  readonly tokens: AccessTokenIssuer;
  readonly entra: EntraTenant;
  readonly oidcIssuer: OidcIssuer;
}

async function createIdentity(
  origin: string,
  tenantId: string,
  seed: string,
  options: EmulatorOptions,
  certificatePem: string,
): Promise<Identity> {
  const tokenKey = createSigningKey(await processKey("accessTokens"));
  const oidcIssuer = new OidcIssuer(
    () => processKey("oidcIssuer").then(createSigningKey),
    `${origin}${OIDC_ISSUER_PATH}`,
  );
  const clients = new ClientRegistry({
    seed,
    secrets: options.clientSecrets,
    certificatePem,
    federation: {
      issuer: oidcIssuer.issuer,
      subject: DEFAULT_FEDERATED_SUBJECT,
      audience: FEDERATED_AUDIENCE,
    },
  });
  const tokens = new AccessTokenIssuer(tokenKey, `${origin}/${tenantId}/v2.0`, tenantId, seed);
  const entra = new EntraTenant(origin, tenantId, clients, tokens, tokenKey, oidcIssuer);
  return { clients, tokens, entra, oidcIssuer };
}

function federatedClientHandle(identity: Identity, workDir: string): FederatedClient {
  const { oidcIssuer } = identity;
  let tokenFiles = 0;
  return {
    clientId: identity.clients.get("federated").clientId,
    issuer: oidcIssuer.issuer,
    subject: DEFAULT_FEDERATED_SUBJECT,
    audience: FEDERATED_AUDIENCE,
    issueToken: (tokenOptions) => oidcIssuer.issueToken(tokenOptions),
    writeTokenFile: async (tokenOptions) => {
      tokenFiles += 1;
      const file = path.join(workDir, `federated-token-${tokenFiles}.jwt`);
      await fs.writeFile(file, await oidcIssuer.issueToken(tokenOptions), { mode: 0o600 });
      return file;
    },
  };
}

async function assemble(
  options: EmulatorOptions,
  seed: string,
  workDir: string,
  started: number,
): Promise<Emulator> {
  const caFiles = await resolveCertificateAuthority(options, workDir);
  const [ca, tlsKey, clientKey] = await Promise.all([
    readCertificateAuthority(caFiles),
    processKey("tlsServer"),
    processKey("certificateClient"),
  ]);
  const serverCertificate = await issueServerCertificate(ca, tlsKey);
  const clientCertificate = await createSelfSignedCertificate(
    "m365-backup emulator certificate client",
    clientKey,
  );
  const clock = options.clock ?? new EmulatorClock();
  const service = (options.createService ?? createGraphService)({
    seed,
    unitsPerWorkload: options.unitsPerWorkload ?? 20,
    restoreMs: options.restoreMs ?? 2000,
    pageSize: options.pageSize ?? 10,
    clock,
    maxActiveSessions: options.maxActiveSessions,
  });
  const server = await EmulatorServer.listen(serverCertificate, options.port ?? 0);
  try {
    const tenantId = seededGuid(seed, "tenant");
    const identity = await createIdentity(server.origin, tenantId, seed, options, clientCertificate.certPem);
    const faults = new Faults(seed, { latencyInMs: options.latencyInMs, throttle: options.throttle });
    const requestLog = new RequestLog();
    const onInternalError = options.onInternalError ?? reportInternalError;
    const setServiceStatus = (status: string): void => service.setServiceStatus(status);
    const { clients, tokens, entra, oidcIssuer } = identity;
    server.attach({
      graph: {
        service,
        tokens,
        faults,
        requestLog,
        baseUrl: server.origin,
        now: () => clock.now(),
        onInternalError,
      },
      identity: { entra, faults, requestLog, onInternalError },
      admin: {
        tenantId,
        faults,
        requestLog,
        clock,
        setServiceStatus,
        clients: () => clients.summaries(),
        oidcIssuer,
        service,
      },
    });
    const certificatePath = path.join(workDir, "certificate-client.pem");
    await fs.writeFile(certificatePath, `${clientCertificate.certPem}\n${clientCertificate.keyPem}`, {
      mode: 0o600,
    });
    const readWrite = clients.get("readWrite");
    return {
      graphEndpoint: server.origin,
      authorityHost: server.origin,
      tenantId,
      clientId: readWrite.clientId,
      clientSecret: readWrite.secret ?? "",
      clients: clients.all().map(({ name, clientId, credential, secret, roles }) => ({
        name,
        clientId,
        credential,
        secret,
        roles,
      })),
      certificateClient: { clientId: clients.get("certificate").clientId, certificatePath },
      federatedClient: federatedClientHandle(identity, workDir),
      caCertPath: caFiles.certPath,
      faults,
      requestLog,
      clock,
      service,
      setServiceStatus,
      issueAccessToken: (name, issueOptions) => tokens.issue(clients.get(name), issueOptions),
      startupInMs: Date.now() - started,
      close: async () => {
        await server.close();
        await fs.rm(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
