/**
 * Entra ID for one tenant: OpenID discovery, the JWKS and the v2.0 token endpoint serving the
 * client-credentials grant. Paths are those MSAL calls for an authority `https://HOST/{tenantId}`:
 * `GET /{tenantId}/v2.0/.well-known/openid-configuration` and `POST /{tenantId}/oauth2/v2.0/token`.
 */
import { randomUUID } from "node:crypto";
import { publicJwk, type AccessTokenIssuer, type SigningKey } from "./accessTokens";
import { authenticateClient, OAuthError } from "./clientAuthentication";
import type { ClientRegistry, RegisteredClient } from "./clients";
import type { OidcIssuer } from "./oidcIssuer";

/** The only scope the emulator grants: Graph's application permissions. */
export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
const GRAPH_SCOPE_ALIASES = [GRAPH_DEFAULT_SCOPE, "00000003-0000-0000-c000-000000000000/.default"];

/** An HTTP answer from the identity endpoints. */
export interface IdentityResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The authenticated (or claimed) client, for the request log. */
  readonly appId?: string;
}

/** Formats a time as Entra does in OAuth errors: `2026-11-22 09:15:02Z`. */
function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Renders an OAuth error body in Entra's shape. */
export function oauthErrorResponse(
  error: OAuthError,
  correlationId: string | undefined,
  appId?: string,
): IdentityResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = entraTimestamp(new Date());
  return {
    status: error.status,
    appId,
    body: {
      error: error.error,
      error_description: `${error.message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [error.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    },
  };
}

/** The tenant's Entra ID endpoints. */
export class EntraTenant {
  constructor(
    readonly origin: string,
    readonly tenantId: string,
    private readonly clients: ClientRegistry,
    private readonly tokens: AccessTokenIssuer,
    private readonly tokenKey: SigningKey,
    private readonly oidcIssuer: OidcIssuer,
  ) {}

  get issuer(): string {
    return `${this.origin}/${this.tenantId}/v2.0`;
  }

  get tokenEndpoint(): string {
    return `${this.origin}/${this.tenantId}/oauth2/v2.0/token`;
  }

  /** Throws the error Entra gives for a tenant it does not know. */
  private checkTenant(tenant: string): void {
    if (tenant !== this.tenantId) {
      throw new OAuthError(
        400,
        "invalid_tenant",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
  }

  /** `GET /{tenant}/v2.0/.well-known/openid-configuration` */
  openidConfiguration(tenant: string, correlationId?: string): IdentityResponse {
    try {
      this.checkTenant(tenant);
    } catch (error) {
      return oauthErrorResponse(error as OAuthError, correlationId);
    }
    const base = `${this.origin}/${this.tenantId}`;
    return {
      status: 200,
      body: {
        issuer: this.issuer,
        token_endpoint: this.tokenEndpoint,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
        grant_types_supported: ["client_credentials"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        response_modes_supported: ["query", "fragment", "form_post"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "roles", "appid", "azp"],
        request_uri_parameter_supported: false,
        tenant_region_scope: "EU",
        cloud_instance_name: "emulator.local",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
      },
    };
  }

  /** `GET /{tenant}/discovery/v2.0/keys` */
  async keys(tenant: string, correlationId?: string): Promise<IdentityResponse> {
    try {
      this.checkTenant(tenant);
    } catch (error) {
      return oauthErrorResponse(error as OAuthError, correlationId);
    }
    return { status: 200, body: { keys: [await publicJwk(this.tokenKey)] } };
  }

  /** `POST /{tenant}/oauth2/v2.0/token` with the form already parsed. */
  async token(tenant: string, form: URLSearchParams, correlationId?: string): Promise<IdentityResponse> {
    const claimedClientId = form.get("client_id") ?? undefined;
    try {
      this.checkTenant(tenant);
      const client = await this.authenticate(form);
      const accessToken = await this.tokens.issue(client);
      return {
        status: 200,
        appId: client.clientId,
        headers: { "cache-control": "no-store", pragma: "no-cache" },
        body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
      };
    } catch (error) {
      if (error instanceof OAuthError) {
        return oauthErrorResponse(error, correlationId, claimedClientId);
      }
      throw error;
    }
  }

  private async authenticate(form: URLSearchParams): Promise<RegisteredClient> {
    const required = (name: string): string => {
      const value = form.get(name);
      if (value === null || value === "") {
        throw new OAuthError(
          400,
          "invalid_request",
          900144,
          `The request body must contain the following parameter: '${name}'.`,
        );
      }
      return value;
    };
    const grantType = required("grant_type");
    if (grantType !== "client_credentials") {
      throw new OAuthError(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    }
    const clientId = required("client_id");
    const client = this.clients.find(clientId);
    if (client === undefined) {
      throw new OAuthError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    this.checkScope(required("scope"));
    await authenticateClient(
      client,
      {
        clientSecret: form.get("client_secret") ?? undefined,
        clientAssertion: form.get("client_assertion") ?? undefined,
        clientAssertionType: form.get("client_assertion_type") ?? undefined,
      },
      { tokenEndpoint: this.tokenEndpoint, issuer: this.issuer },
      this.oidcIssuer,
    );
    return client;
  }

  private checkScope(scope: string): void {
    const scopes = scope.split(" ").filter((s) => s.length > 0);
    if (scopes.length === 1 && GRAPH_SCOPE_ALIASES.includes(scopes[0] ?? "")) {
      return;
    }
    const first = scopes.find((s) => !GRAPH_SCOPE_ALIASES.includes(s)) ?? scope;
    if (!first.endsWith("/.default")) {
      throw new OAuthError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${first} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    throw new OAuthError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${first.slice(0, -"/.default".length)} was not found in the tenant named ${this.tenantId}. This emulator serves only ${GRAPH_DEFAULT_SCOPE}.`,
    );
  }
}
