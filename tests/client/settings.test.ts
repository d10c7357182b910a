import { expect } from "chai";
import { inspect } from "node:util";
import { authorityOptions } from "../../provider/auth";
import {
  resolveSettings,
  secretValues,
  SettingsError,
  validateConfigKeys,
  type ConfigLookup,
} from "../../provider/settings";

const CANARY = "canary-Secret-7f3a9c1e";

function config(values: Record<string, string>): ConfigLookup {
  return (key) => values[key];
}

function settingsError(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    expect(SettingsError.isInstance(error), String(error)).to.equal(true);
    return error as SettingsError;
  }
  throw new Error("expected a SettingsError");
}

describe("settings resolution", () => {
  const secretConfig = { tenantId: "t", clientId: "c", clientSecret: CANARY };

  it("defaults to Graph's public endpoint, v1.0 and DefaultAzureCredential", () => {
    const settings = resolveSettings(config({}), {});
    expect(settings.graphEndpoint).to.equal("https://graph.microsoft.com");
    expect(settings.apiVersion).to.equal("v1.0");
    expect(settings.credentialKind).to.equal("default");
    expect(settings.authorityHost).to.equal(undefined);
  });

  it("prefers config over the environment key by key", () => {
    const settings = resolveSettings(config({ tenantId: "from-config" }), {
      AZURE_TENANT_ID: "from-env",
      AZURE_CLIENT_ID: "client-from-env",
      M365_BACKUP_API_VERSION: "beta",
    });
    expect(settings.tenantId).to.equal("from-config");
    expect(settings.clientId).to.equal("client-from-env");
    expect(settings.apiVersion).to.equal("beta");
  });

  it("treats an empty config value as unset", () => {
    const settings = resolveSettings(config({ tenantId: "" }), { AZURE_TENANT_ID: "env" });
    expect(settings.tenantId).to.equal("env");
  });

  it("chooses the credential from what is set", () => {
    expect(resolveSettings(config(secretConfig), {}).credentialKind).to.equal("clientSecret");
    const cert = resolveSettings(config({ tenantId: "t", clientId: "c" }), {
      AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem",
    });
    expect(cert.credentialKind).to.equal("clientCertificate");
    const federated = resolveSettings(config({ tenantId: "t", clientId: "c", federatedTokenFile: "/t" }), {});
    expect(federated.credentialKind).to.equal("federatedToken");
    expect(resolveSettings(config({ useManagedIdentity: "true" }), {}).credentialKind).to.equal(
      "managedIdentity",
    );
  });

  it("refuses two credentials at once, naming both sources", () => {
    const error = settingsError(() =>
      resolveSettings(config({ ...secretConfig, clientCertificatePath: "/c.pem" }), {}),
    );
    expect(error.message)
      .to.contain("m365-backup:clientSecret")
      .and.contain("m365-backup:clientCertificatePath");
    expect(error.message).not.to.contain(CANARY);
  });

  it("requires tenantId and clientId for an explicit app credential and says how to set them", () => {
    const error = settingsError(() => resolveSettings(config({ clientSecret: CANARY, clientId: "c" }), {}));
    expect(error.key).to.equal("m365-backup:tenantId");
    expect(error.message).to.contain("pulumi config set m365-backup:tenantId").and.contain("AZURE_TENANT_ID");
  });

  it("refuses a certificate password without a certificate path", () => {
    const error = settingsError(() =>
      resolveSettings(config({ ...secretConfig, clientSecret: "", clientCertificatePassword: CANARY }), {}),
    );
    expect(error.key).to.equal("m365-backup:clientCertificatePassword");
    expect(error.message).not.to.contain(CANARY);
  });

  it("refuses a non-HTTPS Graph endpoint or authority unless it is a loopback address", () => {
    expect(
      settingsError(() => resolveSettings(config({ graphEndpoint: "http://graph.example" }), {})).key,
    ).to.equal("m365-backup:graphEndpoint");
    expect(
      settingsError(() => resolveSettings(config({ authorityHost: "http://login.example" }), {})).key,
    ).to.equal("m365-backup:authorityHost");
    const loopback = resolveSettings(
      config({ graphEndpoint: "http://127.0.0.1:8443/", authorityHost: "http://localhost:9000/" }),
      {},
    );
    expect(loopback.graphEndpoint).to.equal("http://127.0.0.1:8443");
    expect(loopback.authorityHost).to.equal("http://localhost:9000");
    expect(resolveSettings(config({ graphEndpoint: "http://[::1]:1234" }), {}).graphEndpoint).to.equal(
      "http://[::1]:1234",
    );
  });

  it("refuses a Graph endpoint with a version path and points at apiVersion", () => {
    const error = settingsError(() =>
      resolveSettings(config({ graphEndpoint: "https://graph.microsoft.com/v1.0" }), {}),
    );
    expect(error.message).to.contain("m365-backup:apiVersion");
  });

  it("refuses URLs with credentials in them without echoing them", () => {
    const error = settingsError(() =>
      resolveSettings(config({ graphEndpoint: `https://u:${CANARY}@graph.example` }), {}),
    );
    expect(error.message).not.to.contain(CANARY);
  });

  it("accepts only v1.0 and beta as apiVersion", () => {
    expect(settingsError(() => resolveSettings(config({ apiVersion: "v2.0" }), {})).message).to.contain(
      '"v1.0"',
    );
    expect(
      settingsError(() => resolveSettings(config({}), { M365_BACKUP_API_VERSION: "1.0" })).message,
    ).to.contain("M365_BACKUP_API_VERSION");
  });

  it("accepts only true or false for useManagedIdentity", () => {
    expect(settingsError(() => resolveSettings(config({ useManagedIdentity: "yes" }), {})).key).to.equal(
      "m365-backup:useManagedIdentity",
    );
  });

  it("reads the request timeout and retry attempts from config or the environment, within their ranges", () => {
    const defaults = resolveSettings(config({}), {});
    expect([defaults.requestTimeoutInMs, defaults.retryMaxAttempts]).to.deep.equal([100_000, 6]);
    const configured = resolveSettings(config({ requestTimeoutSeconds: "2.5", retryMaxAttempts: "3" }), {});
    expect([configured.requestTimeoutInMs, configured.retryMaxAttempts]).to.deep.equal([2_500, 3]);
    const fromEnv = resolveSettings(config({}), {
      M365_BACKUP_REQUEST_TIMEOUT_SECONDS: "30",
      M365_BACKUP_RETRY_MAX_ATTEMPTS: "1",
    });
    expect([fromEnv.requestTimeoutInMs, fromEnv.retryMaxAttempts]).to.deep.equal([30_000, 1]);
    for (const [key, value] of [
      ["requestTimeoutSeconds", "0"],
      ["requestTimeoutSeconds", "601"],
      ["requestTimeoutSeconds", "10s"],
      ["requestTimeoutSeconds", "-5"],
      ["retryMaxAttempts", "0"],
      ["retryMaxAttempts", "2.5"],
      ["retryMaxAttempts", "21"],
    ]) {
      const error = settingsError(() => resolveSettings(config({ [key]: value }), {}));
      expect(error.key, `${key}=${value}`).to.equal(`m365-backup:${key}`);
      expect(error.message, `${key}=${value}`)
        .to.match(/from \d+ to \d+/)
        .and.contain(`"${value}"`);
    }
  });

  it("keeps secrets out of JSON, inspect, spreads and keys but still hands them to the credential", () => {
    const settings = resolveSettings(config({ ...secretConfig }), { AZURE_CLIENT_CERTIFICATE_PASSWORD: "" });
    expect(settings.clientSecret).to.equal(CANARY);
    expect(JSON.stringify(settings)).not.to.contain(CANARY);
    expect(inspect(settings, { showHidden: true, depth: 5, getters: true })).not.to.contain(CANARY);
    expect(JSON.stringify({ ...settings })).not.to.contain(CANARY);
    expect(Object.keys(settings)).not.to.include("clientSecret");
    expect(secretValues(settings)).to.deep.equal([CANARY]);
  });
});

describe("authority options", () => {
  it("keeps instance discovery for Microsoft's public authority and disables it for any other host", () => {
    const publicCloud = resolveSettings(config({ authorityHost: "https://login.microsoftonline.com/" }), {});
    expect(authorityOptions(publicCloud)).to.deep.equal({
      authorityHost: "https://login.microsoftonline.com",
      disableInstanceDiscovery: false,
    });
    const emulator = resolveSettings(config({ authorityHost: "https://127.0.0.1:4443" }), {});
    expect(authorityOptions(emulator)).to.deep.equal({
      authorityHost: "https://127.0.0.1:4443",
      disableInstanceDiscovery: true,
    });
    expect(authorityOptions(resolveSettings(config({}), {}))).to.deep.equal({});
  });
});

describe("config key validation", () => {
  it("reports unknown m365-backup keys and suggests the right spelling", () => {
    const problems = validateConfigKeys([
      "m365-backup:tenantID",
      "m365-backup:graphEndpoint",
      "m365-backup:colour",
    ]);
    expect(problems.map((problem) => problem.key)).to.deep.equal([
      "m365-backup:tenantID",
      "m365-backup:colour",
    ]);
    expect(problems[0].message).to.contain("did you mean m365-backup:tenantId?");
    expect(problems[1].message).to.contain("known keys are");
  });

  it("leaves other namespaces alone", () => {
    expect(validateConfigKeys(["aws:region", "pulumi:template"])).to.deep.equal([]);
  });
});
