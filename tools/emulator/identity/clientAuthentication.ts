/**
 * Client authentication at the token endpoint: a client secret, a certificate client assertion
 * (RFC 7523, signed with the registered certificate's key) or a federated assertion from a trusted
 * OIDC issuer. Failures are {@link OAuthError}s with the AADSTS codes Entra uses for the same mistakes.
 */
import { createHash, createPublicKey, timingSafeEqual } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { OidcIssuer } from "./oidcIssuer";
import type { RegisteredClient } from "./clients";

/** An OAuth error as Entra words it; rendered by the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = "OAuthError";
  }
}

/** The only `client_assertion_type` Entra accepts (RFC 7523). */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** What the token request offered as client credentials. */
export interface PresentedCredentials {
  readonly clientSecret?: string;
  readonly clientAssertion?: string;
  readonly clientAssertionType?: string;
}

/** Where assertions must point: the endpoints Entra accepts as `aud` for a client assertion. */
export interface AssertionAudience {
  readonly tokenEndpoint: string;
  readonly issuer: string;
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function invalidClient(aadsts: number, description: string): OAuthError {
  return new OAuthError(401, "invalid_client", aadsts, description);
}

/** Verifies the presented credentials for a registered client; throws OAuthError when they fail. */
export async function authenticateClient(
  client: RegisteredClient,
  presented: PresentedCredentials,
  audience: AssertionAudience,
  oidcIssuer: OidcIssuer,
): Promise<void> {
  if (presented.clientSecret !== undefined && presented.clientAssertion !== undefined) {
    throw new OAuthError(
      400,
      "invalid_request",
      90023,
      "A request may carry a client_secret or a client_assertion, not both.",
    );
  }
  if (presented.clientSecret !== undefined) {
    return checkSecret(client, presented.clientSecret);
  }
  if (presented.clientAssertion === undefined) {
    throw invalidClient(
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (presented.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
    throw new OAuthError(
      400,
      "invalid_request",
      900144,
      `The request body must contain the following parameter: 'client_assertion_type' with the value '${JWT_BEARER_ASSERTION_TYPE}'.`,
    );
  }
  if (client.credential === "certificate") {
    return checkCertificateAssertion(client, presented.clientAssertion, audience);
  }
  if (client.credential === "federated") {
    return checkFederatedAssertion(client, presented.clientAssertion, oidcIssuer);
  }
  throw invalidClient(
    700027,
    `Client assertion failed signature validation: no certificate is registered for app '${client.clientId}'.`,
  );
}

function checkSecret(client: RegisteredClient, presented: string): void {
  if (client.secret === undefined || !sameSecret(presented, client.secret)) {
    throw invalidClient(
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
    );
  }
}

function headerOf(assertion: string): ReturnType<typeof decodeProtectedHeader> {
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    throw invalidClient(50027, "JWT token is invalid or malformed.");
  }
}

function claimsOf(assertion: string): JWTPayload {
  try {
    return decodeJwt(assertion);
  } catch {
    throw invalidClient(50027, "JWT token is invalid or malformed.");
  }
}

function timeError(error: unknown): OAuthError | undefined {
  if (error instanceof joseErrors.JWTExpired) {
    return invalidClient(700024, "Client assertion is not within its valid time range.");
  }
  if (
    error instanceof joseErrors.JWTClaimValidationFailed &&
    (error.claim === "nbf" || error.claim === "iat")
  ) {
    return invalidClient(700024, "Client assertion is not within its valid time range.");
  }
  return undefined;
}

async function checkCertificateAssertion(
  client: RegisteredClient,
  assertion: string,
  audience: AssertionAudience,
): Promise<void> {
  const certificate = client.certificate;
  const header = headerOf(assertion);
  const thumbprintMatches =
    certificate !== undefined &&
    ((typeof header.x5t === "string" && header.x5t === certificate.x5t) ||
      (typeof header["x5t#S256"] === "string" && header["x5t#S256"] === certificate.x5tS256));
  if (!thumbprintMatches) {
    throw invalidClient(
      700027,
      `Client assertion failed signature validation: the key in the x5t or x5t#S256 header was not found on app '${client.clientId}'.`,
    );
  }
  const claims = claimsOf(assertion);
  if (claims.iss !== client.clientId || claims.sub !== client.clientId) {
    throw invalidClient(
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => aud === audience.tokenEndpoint || aud === audience.issuer)) {
    throw invalidClient(
      700016,
      `Client assertion audience claim does not match the token endpoint '${audience.tokenEndpoint}'.`,
    );
  }
  try {
    await jwtVerify(assertion, createPublicKey(certificate.certPem), {
      algorithms: ["RS256", "PS256"],
      requiredClaims: ["exp"],
      // MSAL rounds `nbf`/`iat` to the nearest second, so they can be up to 0.5 s ahead; Entra tolerates skew.
      clockTolerance: 5,
    });
  } catch (error) {
    throw timeError(error) ?? invalidClient(700027, "Client assertion failed signature validation.");
  }
}

async function checkFederatedAssertion(
  client: RegisteredClient,
  assertion: string,
  oidcIssuer: OidcIssuer,
): Promise<void> {
  const federation = client.federation;
  const claims = claimsOf(assertion);
  if (federation === undefined || claims.iss !== federation.issuer) {
    throw invalidClient(
      700211,
      `No matching federated identity record found for presented assertion issuer '${String(claims.iss)}'.`,
    );
  }
  if (claims.iss !== oidcIssuer.issuer) {
    throw invalidClient(
      700211,
      `The issuer '${String(claims.iss)}' cannot be reached to fetch its signing keys.`,
    );
  }
  try {
    await oidcIssuer.verify(assertion);
  } catch (error) {
    throw timeError(error) ?? invalidClient(700027, "Client assertion failed signature validation.");
  }
  if (claims.sub !== federation.subject) {
    throw invalidClient(
      700213,
      `No matching federated identity record found for presented assertion subject '${String(claims.sub)}'.`,
    );
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(federation.audience)) {
    throw invalidClient(
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(", ")}'.`,
    );
  }
}
