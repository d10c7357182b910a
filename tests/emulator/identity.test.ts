/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON bodies are checked field by field */
import { expect } from "chai";
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { createLocalJWKSet, decodeJwt, jwtVerify, SignJWT } from "jose";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import type { Emulator } from "../../tools/emulator";
import { graphCall, rawRequest, startTestEmulator } from "../helpers/emulator";

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const SESSIONS = "/solutions/backupRestore/restoreSessions";
const CANARY = "canary-secret-3b1f0c9e-do-not-log";

function tokenForm(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function postToken(
  emulator: Emulator,
  body: string,
  contentType = "application/x-www-form-urlencoded",
) {
  const res = await rawRequest(emulator, {
    method: "POST",
    path: `/${emulator.tenantId}/oauth2/v2.0/token`,
    headers: { "content-type": contentType, "client-request-id": "correlation-1" },
    body,
  });
  return { ...res, body: JSON.parse(res.text) };
}

function expectOAuthError(body: any, error: string, aadsts: number): void {
  expect(body.error).to.equal(error);
  expect(body.error_codes).to.deep.equal([aadsts]);
  expect(body.error_description).to.match(new RegExp(`^AADSTS${aadsts}: `));
  expect(body.timestamp).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body.trace_id).to.match(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).to.equal("correlation-1");
}

function clientOf(emulator: Emulator, name: string) {
  const client = emulator.clients.find((candidate) => candidate.name === name);
  if (client === undefined) {
    throw new Error(`no client ${name}`);
  }
  return client;
}

/** The certificate client's key and certificate, read from the PEM file the emulator wrote. */
function certificateMaterial(emulator: Emulator): { key: KeyObject; der: Buffer } {
  const pem = readFileSync(emulator.certificateClient.certificatePath, "utf8");
  return { key: createPrivateKey(pem), der: new X509Certificate(pem).raw };
}

interface AssertionOverrides {
  header?: Record<string, unknown>;
  claims?: Record<string, string>;
  key?: KeyObject;
  expiresInSeconds?: number;
  alg?: "RS256" | "PS256";
}

async function certificateAssertion(emulator: Emulator, overrides: AssertionOverrides = {}): Promise<string> {
  const { key, der } = certificateMaterial(emulator);
  const clientId = emulator.certificateClient.clientId;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: `${now}-${Math.random()}`, ...(overrides.claims ?? {}) })
    .setProtectedHeader({
      alg: overrides.alg ?? "RS256",
      typ: "JWT",
      x5t: createHash("sha1").update(der).digest("base64url"),
      ...(overrides.header ?? {}),
    })
    .setIssuer(String(overrides.claims?.iss ?? clientId))
    .setSubject(String(overrides.claims?.sub ?? clientId))
    .setAudience(
      String(overrides.claims?.aud ?? `${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`),
    )
    .setIssuedAt(now)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (overrides.expiresInSeconds ?? 300))
    .sign(overrides.key ?? key);
}

function assertionForm(clientId: string, assertion: string): string {
  return tokenForm({
    grant_type: "client_credentials",
    client_id: clientId,
    scope: GRAPH_SCOPE,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
}

describe("emulator platform: Entra ID", () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator({ clientSecrets: { readWrite: CANARY } });
  });
  after(() => emulator.close());

  describe("discovery", () => {
    it("serves the tenant's OpenID configuration with endpoints on its own origin", async () => {
      const res = await rawRequest(emulator, {
        method: "GET",
        path: `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
      });
      expect(res.status).to.equal(200);
      const config = JSON.parse(res.text);
      expect(config.issuer).to.equal(`${emulator.authorityHost}/${emulator.tenantId}/v2.0`);
      expect(config.token_endpoint).to.equal(
        `${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`,
      );
      expect(config).to.include.keys("authorization_endpoint", "jwks_uri");
      expect(config.token_endpoint_auth_methods_supported).to.include.members([
        "client_secret_post",
        "private_key_jwt",
      ]);
    });

    it("answers an unknown tenant with AADSTS90002", async () => {
      const res = await rawRequest(emulator, {
        method: "GET",
        path: "/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration",
        headers: { "client-request-id": "correlation-1" },
      });
      expect(res.status).to.equal(400);
      expectOAuthError(JSON.parse(res.text), "invalid_tenant", 90002);
    });

    it("publishes the keys that verify its access tokens", async () => {
      const config = JSON.parse(
        (
          await rawRequest(emulator, {
            method: "GET",
            path: `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
          })
        ).text,
      );
      const jwks = JSON.parse((await rawRequest(emulator, { method: "GET", path: config.jwks_uri })).text);
      const token = await emulator.issueAccessToken("readOnly");
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: config.issuer });
      expect(payload.aud).to.equal("https://graph.microsoft.com");
    });
  });

  describe("client secret", () => {
    it("issues an RS256 Graph token with tenant, app id, roles and a one-hour expiry", async () => {
      const res = await postToken(
        emulator,
        tokenForm({
          grant_type: "client_credentials",
          client_id: emulator.clientId,
          client_secret: CANARY,
          scope: GRAPH_SCOPE,
        }),
      );
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ token_type: "Bearer", expires_in: 3599 });
      const header = JSON.parse(Buffer.from(res.body.access_token.split(".")[0], "base64url").toString());
      expect(header.alg).to.equal("RS256");
      const claims = decodeJwt(res.body.access_token);
      expect(claims).to.include({
        aud: "https://graph.microsoft.com",
        iss: `${emulator.authorityHost}/${emulator.tenantId}/v2.0`,
        tid: emulator.tenantId,
        appid: emulator.clientId,
        azp: emulator.clientId,
      });
      expect(claims.roles).to.deep.equal(clientOf(emulator, "readWrite").roles);
      expect((claims.exp ?? 0) - Math.floor(Date.now() / 1000)).to.be.within(3590, 3600);
    });

    it("omits the roles claim for an app with no roles granted", async () => {
      const noRoles = clientOf(emulator, "noRoles");
      const res = await postToken(
        emulator,
        tokenForm({
          grant_type: "client_credentials",
          client_id: noRoles.clientId,
          client_secret: noRoles.secret ?? "",
          scope: GRAPH_SCOPE,
        }),
      );
      expect(decodeJwt(res.body.access_token)).to.not.have.property("roles");
    });

    it("refuses a wrong secret with AADSTS7000215 and never echoes the secret", async () => {
      const res = await postToken(
        emulator,
        tokenForm({
          grant_type: "client_credentials",
          client_id: emulator.clientId,
          client_secret: `${CANARY}x`,
          scope: GRAPH_SCOPE,
        }),
      );
      expect(res.status).to.equal(401);
      expectOAuthError(res.body, "invalid_client", 7000215);
      expect(res.text).to.not.include(CANARY);
    });

    it("refuses a request with no client credential with AADSTS7000218", async () => {
      const res = await postToken(
        emulator,
        tokenForm({ grant_type: "client_credentials", client_id: emulator.clientId, scope: GRAPH_SCOPE }),
      );
      expect(res.status).to.equal(401);
      expectOAuthError(res.body, "invalid_client", 7000218);
    });

    it("refuses an unknown application with AADSTS700016", async () => {
      const res = await postToken(
        emulator,
        tokenForm({
          grant_type: "client_credentials",
          client_id: "11111111-1111-4111-8111-111111111111",
          client_secret: "x",
          scope: GRAPH_SCOPE,
        }),
      );
      expect(res.status).to.equal(400);
      expectOAuthError(res.body, "unauthorized_client", 700016);
    });

    it("serves only the client-credentials grant", async () => {
      const res = await postToken(
        emulator,
        tokenForm({ grant_type: "password", client_id: emulator.clientId, scope: GRAPH_SCOPE }),
      );
      expect(res.status).to.equal(400);
      expectOAuthError(res.body, "unsupported_grant_type", 70003);
    });

    it("names a missing parameter with AADSTS900144", async () => {
      const res = await postToken(
        emulator,
        tokenForm({ grant_type: "client_credentials", client_id: emulator.clientId }),
      );
      expectOAuthError(res.body, "invalid_request", 900144);
      expect(res.body.error_description).to.include("'scope'");
    });

    it("reads only form bodies, so a JSON body lacks grant_type", async () => {
      const res = await postToken(
        emulator,
        JSON.stringify({ grant_type: "client_credentials" }),
        "application/json",
      );
      expectOAuthError(res.body, "invalid_request", 900144);
      expect(res.body.error_description).to.include("'grant_type'");
    });

    it("requires a /.default scope (AADSTS1002012) for Graph only (AADSTS500011)", async () => {
      const base = { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: CANARY };
      const delegated = await postToken(
        emulator,
        tokenForm({ ...base, scope: "https://graph.microsoft.com/User.Read" }),
      );
      expectOAuthError(delegated.body, "invalid_scope", 1002012);
      const otherResource = await postToken(
        emulator,
        tokenForm({ ...base, scope: "https://management.azure.com/.default" }),
      );
      expectOAuthError(otherResource.body, "invalid_resource", 500011);
    });

    it("accepts only POST on the token endpoint", async () => {
      const res = await rawRequest(emulator, {
        method: "GET",
        path: `/${emulator.tenantId}/oauth2/v2.0/token`,
      });
      expect(res.status).to.equal(400);
      expect(JSON.parse(res.text).error_codes).to.deep.equal([900561]);
    });

    it("keeps secrets and tokens out of the request log", async () => {
      await graphCall(emulator, { method: "GET", path: SESSIONS });
      const logged = JSON.stringify(emulator.requestLog.entries());
      expect(emulator.requestLog.count({ kind: "token" })).to.be.greaterThan(0);
      expect(logged).to.not.include(CANARY);
      expect(logged).to.not.match(/eyJ[A-Za-z0-9_-]{10,}/);
    });
  });

  describe("certificate client assertion", () => {
    it("issues a token for an assertion signed with the registered certificate (x5t)", async () => {
      const res = await postToken(
        emulator,
        assertionForm(emulator.certificateClient.clientId, await certificateAssertion(emulator)),
      );
      expect(res.status).to.equal(200);
      expect(decodeJwt(res.body.access_token).appid).to.equal(emulator.certificateClient.clientId);
    });

    it("accepts a PS256 assertion identified by x5t#S256", async () => {
      const { der } = certificateMaterial(emulator);
      const assertion = await certificateAssertion(emulator, {
        alg: "PS256",
        header: { x5t: undefined, "x5t#S256": createHash("sha256").update(der).digest("base64url") },
      });
      const res = await postToken(emulator, assertionForm(emulator.certificateClient.clientId, assertion));
      expect(res.status).to.equal(200);
    });

    it("refuses an assertion signed with another key (AADSTS700027)", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const res = await postToken(
        emulator,
        assertionForm(
          emulator.certificateClient.clientId,
          await certificateAssertion(emulator, { key: privateKey }),
        ),
      );
      expect(res.status).to.equal(401);
      expectOAuthError(res.body, "invalid_client", 700027);
    });

    it("refuses a thumbprint that is not registered (AADSTS700027)", async () => {
      const assertion = await certificateAssertion(emulator, {
        header: { x5t: "AAAAAAAAAAAAAAAAAAAAAAAAAAA" },
      });
      const res = await postToken(emulator, assertionForm(emulator.certificateClient.clientId, assertion));
      expectOAuthError(res.body, "invalid_client", 700027);
    });

    it("refuses an assertion for another audience (AADSTS700016)", async () => {
      const assertion = await certificateAssertion(emulator, {
        claims: { aud: "https://login.microsoftonline.com/x/oauth2/v2.0/token" },
      });
      const res = await postToken(emulator, assertionForm(emulator.certificateClient.clientId, assertion));
      expectOAuthError(res.body, "invalid_client", 700016);
    });

    it("refuses an assertion whose issuer is not the client (AADSTS700021)", async () => {
      const assertion = await certificateAssertion(emulator, {
        claims: { iss: emulator.clientId, sub: emulator.clientId },
      });
      const res = await postToken(emulator, assertionForm(emulator.certificateClient.clientId, assertion));
      expectOAuthError(res.body, "invalid_client", 700021);
    });

    it("refuses an expired assertion (AADSTS700024)", async () => {
      const assertion = await certificateAssertion(emulator, { expiresInSeconds: -120 });
      const res = await postToken(emulator, assertionForm(emulator.certificateClient.clientId, assertion));
      expectOAuthError(res.body, "invalid_client", 700024);
    });

    it("refuses a client secret for the certificate client", async () => {
      const res = await postToken(
        emulator,
        tokenForm({
          grant_type: "client_credentials",
          client_id: emulator.certificateClient.clientId,
          client_secret: CANARY,
          scope: GRAPH_SCOPE,
        }),
      );
      expectOAuthError(res.body, "invalid_client", 7000215);
    });
  });

  describe("federated (workload identity) assertion", () => {
    const federatedForm = (emu: Emulator, assertion: string): string =>
      assertionForm(emu.federatedClient.clientId, assertion);

    it("exchanges a token from the trusted issuer, subject and audience", async () => {
      const res = await postToken(
        emulator,
        federatedForm(emulator, await emulator.federatedClient.issueToken()),
      );
      expect(res.status).to.equal(200);
      expect(decodeJwt(res.body.access_token).appid).to.equal(emulator.federatedClient.clientId);
    });

    it("serves the issuer's discovery document and keys under /_emulator/oidc", async () => {
      const discovery = JSON.parse(
        (
          await rawRequest(emulator, {
            method: "GET",
            path: "/_emulator/oidc/.well-known/openid-configuration",
          })
        ).text,
      );
      expect(discovery.issuer).to.equal(emulator.federatedClient.issuer);
      const jwks = JSON.parse((await rawRequest(emulator, { method: "GET", path: discovery.jwks_uri })).text);
      await jwtVerify(await emulator.federatedClient.issueToken(), createLocalJWKSet(jwks));
    });

    it("refuses another subject (AADSTS700213)", async () => {
      const token = await emulator.federatedClient.issueToken({
        subject: "repo:someone/else:ref:refs/heads/main",
      });
      expectOAuthError(
        (await postToken(emulator, federatedForm(emulator, token))).body,
        "invalid_client",
        700213,
      );
    });

    it("refuses another audience (AADSTS700212)", async () => {
      const token = await emulator.federatedClient.issueToken({ audience: "api://SomethingElse" });
      expectOAuthError(
        (await postToken(emulator, federatedForm(emulator, token))).body,
        "invalid_client",
        700212,
      );
    });

    it("refuses an untrusted issuer (AADSTS700211)", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "RS256" })
        .setIssuer("https://token.actions.githubusercontent.com")
        .setSubject(emulator.federatedClient.subject)
        .setAudience(emulator.federatedClient.audience)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      expectOAuthError(
        (await postToken(emulator, federatedForm(emulator, token))).body,
        "invalid_client",
        700211,
      );
    });

    it("refuses a token claiming the trusted issuer but signed by another key (AADSTS700027)", async () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const claims = decodeJwt(await emulator.federatedClient.issueToken());
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
      expectOAuthError(
        (await postToken(emulator, federatedForm(emulator, forged))).body,
        "invalid_client",
        700027,
      );
    });

    it("refuses an expired workload token (AADSTS700024)", async () => {
      const token = await emulator.federatedClient.issueToken({ lifetimeInSeconds: -60 });
      expectOAuthError(
        (await postToken(emulator, federatedForm(emulator, token))).body,
        "invalid_client",
        700024,
      );
    });
  });

  describe("the real @azure/identity credentials", () => {
    const options = (): { authorityHost: string; disableInstanceDiscovery: true } => ({
      authorityHost: emulator.authorityHost,
      disableInstanceDiscovery: true,
    });

    async function listSessionsWith(credential: TokenCredential): Promise<number> {
      const token = await credential.getToken(GRAPH_SCOPE);
      expect(token?.expiresOnTimestamp).to.be.greaterThan(Date.now());
      const res = await graphCall(emulator, { method: "GET", path: SESSIONS, token: token?.token });
      return res.status;
    }

    it("ClientSecretCredential gets a token that Graph accepts", async () => {
      const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, CANARY, options());
      expect(await listSessionsWith(credential)).to.equal(200);
    });

    it("ClientCertificateCredential (certificatePath) gets a token that Graph accepts", async () => {
      const credential = new ClientCertificateCredential(
        emulator.tenantId,
        emulator.certificateClient.clientId,
        { certificatePath: emulator.certificateClient.certificatePath },
        options(),
      );
      expect(await listSessionsWith(credential)).to.equal(200);
    });

    it("ClientCertificateCredential with sendCertificateChain gets a token too", async () => {
      const credential = new ClientCertificateCredential(
        emulator.tenantId,
        emulator.certificateClient.clientId,
        { certificatePath: emulator.certificateClient.certificatePath },
        { ...options(), sendCertificateChain: true },
      );
      expect(await listSessionsWith(credential)).to.equal(200);
    });

    it("WorkloadIdentityCredential reads a token file and gets a token that Graph accepts", async () => {
      const credential = new WorkloadIdentityCredential({
        tenantId: emulator.tenantId,
        clientId: emulator.federatedClient.clientId,
        tokenFilePath: await emulator.federatedClient.writeTokenFile(),
        ...options(),
      });
      expect(await listSessionsWith(credential)).to.equal(200);
    });

    it("ClientAssertionCredential with a workload token callback gets a token that Graph accepts", async () => {
      const credential = new ClientAssertionCredential(
        emulator.tenantId,
        emulator.federatedClient.clientId,
        () => emulator.federatedClient.issueToken(),
        options(),
      );
      expect(await listSessionsWith(credential)).to.equal(200);
    });

    it("ClientSecretCredential surfaces the AADSTS code for a wrong secret", async () => {
      const credential = new ClientSecretCredential(
        emulator.tenantId,
        emulator.clientId,
        "wrong-secret-value",
        options(),
      );
      const error: Error = await credential.getToken(GRAPH_SCOPE).then(
        () => new Error("no error"),
        (e: Error) => e,
      );
      expect(error.message).to.include("AADSTS7000215");
      expect(error.message).to.not.include("wrong-secret-value");
    });
  });
});
