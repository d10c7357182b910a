/**
 * Access tokens for Microsoft Graph: RS256 JWTs signed with a key made at start, carrying the claims
 * Graph reads (`aud`, `iss`, `tid`, `appid`/`azp`, `roles`, `exp`), and their verification on the
 * Graph side. Token times use the wall clock, not the emulator clock: tokens are about the client's real
 * clock (MSAL caches them by `expires_in`), while the emulator clock models the backup service's time.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from "node:crypto";
import { errors as joseErrors, exportJWK, jwtVerify, SignJWT, type JWK } from "jose";
import type { Caller } from "../contract";
import { seededGuid } from "../random";
import type { KeyPairPem } from "../tls";
import type { RegisteredClient } from "./clients";

/** The audience of every token the emulator issues for Graph. */
export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
/** Graph's first-party application id (Entra puts it in `WWW-Authenticate`). */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** An RSA signing key with its key id. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A signing key from an RSA key pair; the key id is derived from the public key. */
export function createSigningKey(pem: KeyPairPem): SigningKey {
  const publicKey = createPublicKey(pem.publicKeyPem);
  const kid = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64url")
    .slice(0, 27);
  return { kid, privateKey: createPrivateKey(pem.privateKeyPem), publicKey };
}

/** The public half of a signing key as a JWK for a JWKS document. */
export async function publicJwk(key: SigningKey): Promise<JWK> {
  return { ...(await exportJWK(key.publicKey)), kid: key.kid, use: "sig", alg: "RS256" };
}

/** Why a bearer token was refused; the message is safe to show (it never contains the token). */
export class TokenRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenRejectedError";
  }
}

/** Options for {@link AccessTokenIssuer.issue}; tests use them to make expired or foreign tokens. */
export interface IssueOptions {
  /** Default 3600. Negative values make a token that has already expired. */
  readonly lifetimeInSeconds?: number;
  /** Default `https://graph.microsoft.com`. */
  readonly audience?: string;
}

/** Issues and verifies the tenant's access tokens. */
export class AccessTokenIssuer {
  constructor(
    private readonly key: SigningKey,
    /** `https://127.0.0.1:PORT/{tenantId}/v2.0` */
    readonly issuer: string,
    readonly tenantId: string,
    private readonly seed: string,
  ) {}

  /** A signed access token for the client. */
  async issue(client: RegisteredClient, options: IssueOptions = {}): Promise<string> {
    const nowInSeconds = Math.floor(Date.now() / 1000);
    const lifetimeInSeconds = options.lifetimeInSeconds ?? 3600;
    const claims: Record<string, unknown> = {
      tid: this.tenantId,
      appid: client.clientId,
      azp: client.clientId,
      app_displayname: client.displayName,
      oid: seededGuid(this.seed, `servicePrincipal/${client.name}`),
      idtyp: "app",
      ver: "2.0",
    };
    // Entra omits the claim when an application has no roles granted.
    if (client.roles.length > 0) {
      claims.roles = [...client.roles];
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.key.kid })
      .setIssuer(this.issuer)
      .setSubject(seededGuid(this.seed, `servicePrincipal/${client.name}`))
      .setAudience(options.audience ?? GRAPH_AUDIENCE)
      .setIssuedAt(nowInSeconds)
      .setNotBefore(nowInSeconds - 300)
      .setExpirationTime(nowInSeconds + lifetimeInSeconds)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
  }

  /** Verifies signature, issuer, audience and lifetime, and returns the caller; throws TokenRejectedError. */
  async verify(token: string): Promise<Caller> {
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: ["RS256"],
        issuer: this.issuer,
        audience: [GRAPH_AUDIENCE, `${GRAPH_AUDIENCE}/`, GRAPH_APP_ID],
        clockTolerance: 0,
      });
      const appId = typeof payload.appid === "string" ? payload.appid : payload.azp;
      if (typeof appId !== "string" || payload.tid !== this.tenantId) {
        throw new TokenRejectedError("Access token validation failure. Invalid tenant or application.");
      }
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((r): r is string => typeof r === "string")
        : [];
      return { appId, roles };
    } catch (error) {
      throw new TokenRejectedError(describeRejection(error));
    }
  }
}

function describeRejection(error: unknown): string {
  if (error instanceof TokenRejectedError) {
    return error.message;
  }
  if (error instanceof joseErrors.JWTExpired) {
    return "Lifetime validation failed, the token is expired.";
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "aud") {
      return "Access token validation failure. Invalid audience.";
    }
    if (error.claim === "iss") {
      return "Access token validation failure. Invalid issuer.";
    }
    return `Access token validation failure. Invalid ${error.claim} claim.`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "Access token validation failure. Invalid signature.";
  }
  return "Access token validation failure. The token is malformed or not signed by this tenant.";
}
