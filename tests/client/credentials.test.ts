import { expect } from "chai";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createCredential, GRAPH_SCOPE } from "../../provider/auth";
import {
  createGraphClient,
  createRestoreSession,
  GraphError,
  listRestoreSessions,
  toArray,
  getServiceStatus,
  clearCredentialCache,
} from "../../provider/graph";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings, recordingLogger, secretClientSettings } from "./fixtures";

async function expectGraphError(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    expect(GraphError.isInstance(error), String(error)).to.equal(true);
    return error as GraphError;
  }
  throw new Error("expected a GraphError");
}

describe("credentials against the emulator's Entra ID", function () {
  const suite = useEmulator();
  // Clients of the same settings share one process-wide token: start each test without one, so the
  // token requests a test counts are its own.
  beforeEach(() => clearCredentialCache());

  it("a client secret obtains a token and calls Graph", async () => {
    const client = createGraphClient(emulatorSettings(suite.emulator));
    const session = await createRestoreSession(client, "sharePoint");
    expect(session.status).to.equal("draft");
    expect(suite.emulator.requestLog.count({ kind: "token" })).to.equal(1);
  });

  it("a certificate (PEM path) obtains a token and calls Graph", async () => {
    const { clientId, certificatePath } = suite.emulator.certificateClient;
    const settings = emulatorSettings(suite.emulator, {
      clientId,
      clientSecret: "",
      clientCertificatePath: certificatePath,
    });
    expect(settings.credentialKind).to.equal("clientCertificate");
    const sessions = await toArray(listRestoreSessions(createGraphClient(settings)));
    expect(sessions).to.be.an("array");
    const token = suite.emulator.requestLog.entries({ kind: "token" });
    expect(token.map((entry) => [entry.status, entry.appId])).to.deep.equal([[200, clientId]]);
  });

  it("a federated token file obtains a token and calls Graph", async () => {
    const tokenFile = await suite.emulator.federatedClient.writeTokenFile();
    const settings = emulatorSettings(
      suite.emulator,
      { clientId: suite.emulator.federatedClient.clientId, clientSecret: "" },
      { AZURE_FEDERATED_TOKEN_FILE: tokenFile },
    );
    expect(settings.credentialKind).to.equal("federatedToken");
    const session = await createRestoreSession(createGraphClient(settings), "oneDriveForBusiness");
    expect(session.status).to.equal("draft");
  });

  it("reads the federated token file at token request time, not when the credential is built", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "m365-backup-federated-"));
    const tokenFile = path.join(dir, "token");
    try {
      const settings = emulatorSettings(suite.emulator, {
        clientId: suite.emulator.federatedClient.clientId,
        clientSecret: "",
        federatedTokenFile: tokenFile,
      });
      const credential = createCredential(settings);
      await fs.writeFile(tokenFile, await suite.emulator.federatedClient.issueToken());
      const token = await credential.getToken(GRAPH_SCOPE);
      expect(token?.token).to.be.a("string");
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("reuses one token across calls of one client", async () => {
    const client = createGraphClient(emulatorSettings(suite.emulator));
    await toArray(listRestoreSessions(client));
    await toArray(listRestoreSessions(client));
    expect(suite.emulator.requestLog.count({ kind: "token" })).to.equal(1);
  });

  it("a client without any backup role gets an error naming the permission to grant", async () => {
    const client = createGraphClient(secretClientSettings(suite.emulator, "noRoles"));
    const error = await expectGraphError(toArray(listRestoreSessions(client)));
    expect(error.status).to.equal(403);
    expect(error.permissions).to.include("BackupRestore-Restore.Read.All");
    expect(error.message).to.contain("BackupRestore-Restore.Read.All").and.contain("admin consent");
    expect(error.requestId).to.be.a("string");
    expect(error.clientRequestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it("a read-only client creating a session is told it needs ReadWrite.All", async () => {
    const client = createGraphClient(secretClientSettings(suite.emulator, "readOnly"));
    const error = await expectGraphError(createRestoreSession(client, "exchange"));
    expect(error.status).to.equal(403);
    expect(error.message).to.contain("BackupRestore-Restore.ReadWrite.All");
    expect(error.message).not.to.contain("BackupRestore-Restore.Read.All ");
  });

  it("reports a wrong client secret as an authentication failure, not a Graph error", async () => {
    const logger = recordingLogger();
    const client = createGraphClient(
      emulatorSettings(suite.emulator, { clientSecret: "not-the-secret-0000" }),
      { logger },
    );
    const error = await expectGraphError(getServiceStatus(client));
    expect(error.code).to.equal("AuthenticationFailed");
    expect(error.message).to.contain("clientSecret credential").and.not.contain("not-the-secret-0000");
    expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
  });
});
