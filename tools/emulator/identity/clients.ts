/**
 * The applications registered in the emulator's Entra ID tenant. Ids come from the seed (the same seed
 * gives the same ids on every run); secrets are random per start unless the caller sets one.
 */
import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { seededGuid } from "../random";

/** Graph application permissions (app roles) the emulator knows. */
export const Roles = {
  restoreRead: "BackupRestore-Restore.Read.All",
  restoreReadWrite: "BackupRestore-Restore.ReadWrite.All",
  searchRead: "BackupRestore-Search.Read.All",
  configurationRead: "BackupRestore-Configuration.Read.All",
  controlRead: "BackupRestore-Control.Read.All",
  controlReadWrite: "BackupRestore-Control.ReadWrite.All",
} as const;

/** The names of the seeded clients. */
export type ClientName = "readWrite" | "readOnly" | "noRoles" | "control" | "certificate" | "federated";

/** Seeded clients that authenticate with a client secret. */
export type SecretClientName = "readWrite" | "readOnly" | "noRoles" | "control";

/** How a client proves who it is at the token endpoint. */
export type ClientCredentialKind = "secret" | "certificate" | "federated";

/** A registered certificate: what Entra stores for a certificate credential (public part only). */
export interface RegisteredCertificate {
  readonly certPem: string;
  /** SHA-1 thumbprint as base64url, matched against the assertion's `x5t` header. */
  readonly x5t: string;
  /** SHA-256 thumbprint as base64url, matched against `x5t#S256`. */
  readonly x5tS256: string;
}

/** A federated identity credential: which external tokens this client trusts. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
}

/** One registered application. */
export interface RegisteredClient {
  readonly name: ClientName;
  readonly clientId: string;
  readonly displayName: string;
  readonly credential: ClientCredentialKind;
  /** Present for secret clients only. */
  readonly secret?: string;
  readonly roles: readonly string[];
  readonly certificate?: RegisteredCertificate;
  readonly federation?: FederatedCredential;
}

/** Public facts about a client (the CLI prints these, with secrets, once at start). */
export interface ClientSummary {
  readonly name: ClientName;
  readonly clientId: string;
  readonly credential: ClientCredentialKind;
  readonly roles: readonly string[];
}

const READ_WRITE_ROLES = [Roles.restoreReadWrite, Roles.searchRead, Roles.configurationRead];
const READ_ONLY_ROLES = [Roles.restoreRead, Roles.searchRead, Roles.configurationRead];

/** The subject the federated client trusts by default (the shape of a Kubernetes service account). */
export const DEFAULT_FEDERATED_SUBJECT = "system:serviceaccount:m365-backup:restore-drill";
/** The audience Entra expects on federated assertions. */
export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

/** A random client secret, shaped like Entra's (40 characters, with the `~` Entra puts in them). */
export function newClientSecret(): string {
  const body = randomBytes(30).toString("base64url").slice(0, 36);
  return `${body.slice(0, 3)}8Q~${body.slice(3)}`;
}

/** Thumbprints of a PEM certificate, as `x5t` and `x5t#S256` carry them. */
export function registerCertificate(certPem: string): RegisteredCertificate {
  const der = new X509Certificate(certPem).raw;
  return {
    certPem,
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

/** What the registry needs to seed its clients. */
export interface ClientSeedOptions {
  readonly seed: string;
  readonly secrets?: Partial<Record<SecretClientName, string>>;
  readonly certificatePem: string;
  readonly federation: FederatedCredential;
}

/** The tenant's app registrations. */
export class ClientRegistry {
  private readonly byId = new Map<string, RegisteredClient>();
  private readonly byName = new Map<ClientName, RegisteredClient>();

  constructor(options: ClientSeedOptions) {
    const id = (name: ClientName): string => seededGuid(options.seed, `client/${name}`);
    const secret = (name: SecretClientName): string => options.secrets?.[name] ?? newClientSecret();
    const secretClient = (name: SecretClientName, displayName: string, roles: readonly string[]): void =>
      this.register({
        name,
        clientId: id(name),
        displayName,
        credential: "secret",
        secret: secret(name),
        roles,
      });

    secretClient("readWrite", "m365-backup restore operator", READ_WRITE_ROLES);
    secretClient("readOnly", "m365-backup auditor", READ_ONLY_ROLES);
    secretClient("noRoles", "m365-backup unconsented app", []);
    secretClient("control", "m365-backup service controller", [Roles.controlReadWrite, ...READ_WRITE_ROLES]);
    this.register({
      name: "certificate",
      clientId: id("certificate"),
      displayName: "m365-backup certificate client",
      credential: "certificate",
      roles: READ_WRITE_ROLES,
      certificate: registerCertificate(options.certificatePem),
    });
    this.register({
      name: "federated",
      clientId: id("federated"),
      displayName: "m365-backup workload identity",
      credential: "federated",
      roles: READ_WRITE_ROLES,
      federation: options.federation,
    });
  }

  private register(client: RegisteredClient): void {
    this.byId.set(client.clientId, client);
    this.byName.set(client.name, client);
  }

  /** The client with this application id, if registered. */
  find(clientId: string): RegisteredClient | undefined {
    return this.byId.get(clientId);
  }

  /** The seeded client with this name. */
  get(name: ClientName): RegisteredClient {
    const client = this.byName.get(name);
    if (client === undefined) {
      throw new RangeError(`No seeded client named ${name}`);
    }
    return client;
  }

  all(): RegisteredClient[] {
    return [...this.byName.values()];
  }

  /** Every client without secrets or certificates. */
  summaries(): ClientSummary[] {
    return this.all().map(({ name, clientId, credential, roles }) => ({ name, clientId, credential, roles }));
  }
}
