/**
 * The process-wide credential and token cache. One provider host runs many provider calls (one per
 * resource and step), and each builds its own Graph client; without this module each of them built a
 * new credential, which fetched the tenant's OpenID configuration and then a token. Here the
 * credential and its last token are kept per settings digest, so a host asks Entra for a token about
 * once an hour.
 *
 * Why this does not break the rule "never capture a token cache in the provider closure" (Pulumi
 * serializes that closure into state): the
 * serialized provider (`sdk/provider.ts`) holds only a module specifier and `require`s
 * `provider/resources/host` inside the provider host, which in turn requires this module. The map
 * below is module state of a *required* module: the closure serializer never sees it, so it never
 * enters `__provider` or the state, and it lives exactly as long as the provider host process.
 *
 * The key is a SHA-256 digest of everything that decides which identity a token is for, secret
 * material included (the client secret, the certificate password, the certificate file's bytes), so a
 * rotated secret, another tenant or another app never reuses an entry. The key is a digest, never the
 * secret in clear, so it is safe to hold and to print.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { createCredential } from "../auth";
import type { ProviderSettings } from "../settings";

/** The most credentials kept at once; the least recently used one goes first. */
export const MAX_CACHED_CREDENTIALS = 16;

/**
 * One credential's token state: the last token and the request in flight, if any. Shared by every
 * client built for the same settings in this process (or owned by one client given its own credential).
 */
export interface TokenState {
  token?: AccessToken;
  pending?: Promise<AccessToken>;
}

/** A credential and its token state. */
export interface CachedCredential {
  readonly credential: TokenCredential;
  readonly tokens: TokenState;
}

const entries = new Map<string, CachedCredential>();

/** Bytes of the certificate file as a digest, so a certificate rotated in place gets a new entry. */
function certificateDigest(path: string | undefined): string {
  if (path === undefined) {
    return "";
  }
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    // Unreadable: the credential reports it at token time; key on the path alone meanwhile.
    return "unreadable";
  }
}

/**
 * The cache key of the settings: a hex SHA-256 digest of the credential kind, authority host, tenant,
 * client, secret, certificate (path, password and content) and federated token file path. Never
 * contains a secret in clear.
 */
export function credentialCacheKey(settings: ProviderSettings): string {
  const material = [
    "m365-backup credential v1",
    settings.credentialKind,
    settings.authorityHost ?? "",
    settings.tenantId ?? "",
    settings.clientId ?? "",
    settings.clientSecret ?? "",
    settings.clientCertificatePath ?? "",
    settings.clientCertificatePassword ?? "",
    settings.credentialKind === "clientCertificate" ? certificateDigest(settings.clientCertificatePath) : "",
    settings.federatedTokenFile ?? "",
  ];
  // JSON keeps field boundaries unambiguous ("ab" + "c" differs from "a" + "bc").
  return createHash("sha256").update(JSON.stringify(material)).digest("hex");
}

/**
 * The process-wide credential for the settings, built by {@link createCredential} on first use and
 * kept (at most {@link MAX_CACHED_CREDENTIALS}, least recently used dropped first).
 *
 * @example
 * ```ts
 * const { credential, tokens } = sharedCredential(settings);
 * ```
 */
export function sharedCredential(settings: ProviderSettings): CachedCredential {
  const key = credentialCacheKey(settings);
  const found = entries.get(key);
  if (found) {
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    entries.delete(key);
    entries.set(key, found);
    return found;
  }
  const created: CachedCredential = { credential: createCredential(settings), tokens: {} };
  entries.set(key, created);
  while (entries.size > MAX_CACHED_CREDENTIALS) {
    const oldest = entries.keys().next().value as string;
    entries.delete(oldest);
  }
  return created;
}

/** How many credentials the process holds (for tests and diagnostics). */
export function cachedCredentialCount(): number {
  return entries.size;
}

/** Forgets every cached credential and token (tests; or after changing the environment in-process). */
export function clearCredentialCache(): void {
  entries.clear();
}
