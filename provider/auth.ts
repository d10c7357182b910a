/**
 * Builds the one credential the Graph client uses, from resolved {@link ProviderSettings}.
 *
 * Tokens are always requested for Graph's own resource ({@link GRAPH_SCOPE}), whatever `graphEndpoint`
 * points at: the emulator, like a proxy in front of Graph, expects tokens minted for Graph.
 */
import { promises as fs } from "node:fs";
import {
  AzureAuthorityHosts,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import type { ProviderSettings } from "./settings";

/** The credential interface of `@azure/identity`, re-exported for callers that pass their own. */
export type { TokenCredential };

/** The only scope this provider ever asks for. */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** Entra authority hosts Microsoft runs; instance discovery only makes sense against these. */
const PUBLIC_AUTHORITY_HOSTS: readonly string[] = Object.values(AzureAuthorityHosts).map((host: string) =>
  host.replace(/\/+$/, "").toLowerCase(),
);

/** Options shared by every credential: the authority, and instance discovery off for a private one. */
export interface AuthorityOptions {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
}

/**
 * Authority options for the settings. A non-public authority host (the emulator, a private Entra proxy)
 * cannot answer MSAL's instance-discovery call, so discovery is disabled for it.
 */
export function authorityOptions(settings: ProviderSettings): AuthorityOptions {
  if (settings.authorityHost === undefined) {
    return {};
  }
  const isPublic = PUBLIC_AUTHORITY_HOSTS.includes(settings.authorityHost.toLowerCase());
  return { authorityHost: settings.authorityHost, disableInstanceDiscovery: !isPublic };
}

/**
 * Creates the credential the settings describe: client secret, certificate (PEM path with an optional
 * password), federated token (the assertion file is read again at every token request, because
 * workload-identity files rotate), managed identity, or else `DefaultAzureCredential`.
 *
 * @example
 * ```ts
 * const credential = createCredential(resolveSettings(config));
 * const token = await credential.getToken(GRAPH_SCOPE);
 * ```
 */
export function createCredential(settings: ProviderSettings): TokenCredential {
  const authority = authorityOptions(settings);
  const tenantId = settings.tenantId ?? "";
  const clientId = settings.clientId ?? "";
  switch (settings.credentialKind) {
    case "clientSecret":
      return new ClientSecretCredential(tenantId, clientId, settings.clientSecret ?? "", authority);
    case "clientCertificate":
      return new ClientCertificateCredential(
        tenantId,
        clientId,
        {
          certificatePath: settings.clientCertificatePath ?? "",
          certificatePassword: settings.clientCertificatePassword,
        },
        authority,
      );
    case "federatedToken":
      return new ClientAssertionCredential(
        tenantId,
        clientId,
        () => readAssertion(settings.federatedTokenFile ?? ""),
        authority,
      );
    case "managedIdentity":
      return settings.clientId === undefined
        ? new ManagedIdentityCredential(authority)
        : new ManagedIdentityCredential({ ...authority, clientId: settings.clientId });
    case "default":
      return new DefaultAzureCredential({
        ...authority,
        ...(settings.tenantId === undefined ? {} : { tenantId: settings.tenantId }),
        ...(settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId }),
      });
  }
}

/** Reads the federated token file. The message names the file, never its content. */
async function readAssertion(path: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      `Could not read the federated token file ${path} (${typeof code === "string" ? code : "read error"}): ` +
        `check m365-backup:federatedTokenFile / AZURE_FEDERATED_TOKEN_FILE.`,
    );
  }
  const assertion = text.trim();
  if (assertion === "") {
    throw new Error(`The federated token file ${path} is empty: the OIDC token was not written yet.`);
  }
  return assertion;
}
