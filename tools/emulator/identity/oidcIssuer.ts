/**
 * A test OpenID Connect issuer, standing in for GitHub Actions or a Kubernetes cluster: it signs
 * workload tokens that the federated client exchanges at the token endpoint, the way an Entra federated
 * identity credential trusts an external issuer + subject + audience. It lives under `/_emulator/oidc`,
 * outside Graph's and Entra's namespaces.
 */
import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import { publicJwk, type SigningKey } from "./accessTokens";
import { FEDERATED_AUDIENCE, DEFAULT_FEDERATED_SUBJECT } from "./clients";

/** The issuer's path on the emulator's origin. */
export const OIDC_ISSUER_PATH = "/_emulator/oidc";

/** Options for a workload token. */
export interface WorkloadTokenOptions {
  /** Default: the subject the federated client trusts. */
  readonly subject?: string;
  /** Default `api://AzureADTokenExchange`. */
  readonly audience?: string;
  /** Default 600 (ten minutes, like a projected service account token). Negative makes it expired. */
  readonly lifetimeInSeconds?: number;
}

/** The issuer: token minting, discovery documents and local verification. */
export class OidcIssuer {
  private key: Promise<SigningKey> | undefined;

  constructor(
    /** Loads the signing key on first use: most runs never touch the federated client. */
    private readonly loadKey: () => Promise<SigningKey>,
    /** `https://127.0.0.1:PORT/_emulator/oidc` */
    readonly issuer: string,
  ) {}

  private signingKey(): Promise<SigningKey> {
    this.key ??= this.loadKey();
    return this.key;
  }

  /** A signed workload identity token. */
  async issueToken(options: WorkloadTokenOptions = {}): Promise<string> {
    const nowInSeconds = Math.floor(Date.now() / 1000);
    const key = await this.signingKey();
    return new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
      .setIssuer(this.issuer)
      .setSubject(options.subject ?? DEFAULT_FEDERATED_SUBJECT)
      .setAudience(options.audience ?? FEDERATED_AUDIENCE)
      .setIssuedAt(nowInSeconds)
      .setNotBefore(nowInSeconds)
      .setExpirationTime(nowInSeconds + (options.lifetimeInSeconds ?? 600))
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** Verifies a token's signature and lifetime against this issuer's key (claims are checked by the caller). */
  async verify(token: string): Promise<JWTPayload> {
    const { publicKey } = await this.signingKey();
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ["RS256"], issuer: this.issuer });
    return payload;
  }

  /** `/.well-known/openid-configuration` for the issuer. */
  discoveryDocument(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/jwks`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
    };
  }

  /** The JWKS document. */
  async jwks(): Promise<{ keys: unknown[] }> {
    return { keys: [await publicJwk(await this.signingKey())] };
  }
}
