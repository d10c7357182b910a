/**
 * Secrets never land anywhere: a canary client secret, a canary certificate password (on an encrypted
 * PEM key) and a canary federated token are configured, a drill runs with a failing restore and
 * scripted faults (and a wrong secret, so the token endpoint refuses it), and then the canaries are
 * looked for in the checkpoint, the serialized provider, every diagnostic and error, everything the
 * child processes printed (the runner turns their stdout and stderr into diagnostics), what this
 * process printed meanwhile, and a drill report written from the run.
 */
import { expect } from "chai";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import {
  LifecycleError,
  type ConfigValue,
  type InstalledPackage,
  type OperationResult,
} from "../../tools/runner";
import { buildDrillReport, writeDrillReport } from "../../tools/drill/report";
import { startTestEmulator } from "../helpers/emulator";
import { RelStack, sharedInstall, unitOnHold, unitPoints, itTolerant } from "./fixture";
import { tally } from "./summary";

const CANARY_SECRET = "CanarySecret~7f3a9c51.e2d4-b8a0_Q";
const CANARY_WRONG_SECRET = "CanaryWrongSecret~0b1c2d3e.4f5a-6b7c_Z";
const CANARY_PASSWORD = "CanaryCertPassword-4c1e9b7d2a";

/** The forms a leaked value could take in text: as is, base64, base64url, URL-encoded, JSON-escaped. */
function forms(secret: string): string[] {
  const values = [
    secret,
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"),
    encodeURIComponent(secret),
  ];
  if (secret.includes(".")) {
    // A JWT: its signature alone is the secret part.
    values.push(secret.split(".").pop() as string);
  }
  return [...new Set(values)].filter((value) => value.length >= 12);
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
}

describe("reliability: no canary secret reaches state, logs, errors, output or the drill report", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let installed: InstalledPackage;
  const stacks: RelStack[] = [];
  /** Text gathered from every place a secret could leak to, labelled by where it came from. */
  const places: { where: string; text: string }[] = [];
  const canaries: { name: string; value: string }[] = [];
  let captured = "";
  let tokenFilePath = "";
  const originalWrite = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };

  before(async () => {
    installed = await sharedInstall();
    emulator = await startTestEmulator({
      restoreMs: 20,
      unitsPerWorkload: 60,
      clientSecrets: { readWrite: CANARY_SECRET },
    });
    canaries.push(
      { name: "client secret", value: CANARY_SECRET },
      { name: "wrong client secret", value: CANARY_WRONG_SECRET },
      { name: "certificate password", value: CANARY_PASSWORD },
    );
  });
  after(async () => {
    process.stdout.write = originalWrite.out;
    process.stderr.write = originalWrite.err;
    await Promise.all(stacks.map((stack) => stack.close()));
    await emulator?.close();
  });

  function record(where: string, result: OperationResult): void {
    places.push({ where: `${where}: errors`, text: JSON.stringify(result.errors) });
    places.push({ where: `${where}: steps`, text: JSON.stringify(result.steps) });
    places.push({ where: `${where}: outputs`, text: JSON.stringify(result.outputs) });
    for (const diagnostic of result.diagnostics)
      places.push({ where: `${where}: ${diagnostic.source} diagnostic`, text: diagnostic.message });
  }

  /** Runs an operation, keeping the report (and a LifecycleError's message) whatever happens. */
  async function run(
    where: string,
    operation: () => Promise<OperationResult>,
  ): Promise<OperationResult | undefined> {
    try {
      const result = await operation();
      record(where, result);
      return result;
    } catch (error) {
      if (LifecycleError.isInstance(error)) record(where, error.result);
      places.push({
        where: `${where}: thrown`,
        text: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error),
      });
      return undefined;
    }
  }

  /** A drill: draft, activate and wait with one unit on hold (its restore fails), faults along the way, refresh, destroy. */
  async function drill(label: string, config: Record<string, ConfigValue>, skip: number): Promise<void> {
    const stack = RelStack.create(emulator, installed, { name: `secrets-${label}`, config });
    stacks.push(stack);
    const points = await unitPoints(emulator, "exchange", 2, skip);
    const held = await unitOnHold(emulator, "exchange");
    const artifacts = [...points, held].map((point) => ({ restorePoint: { id: point.restorePointId } }));
    stack.program("exchange", [{ name: "drill", args: { mailboxRestoreArtifacts: artifacts } }]);
    emulator.faults.add({
      target: "token",
      method: "POST",
      once: true,
      action: { kind: "status", status: 503 },
    });
    emulator.faults.add({
      method: "GET",
      pattern: "/solutions/backupRestore/restoreSessions/{id}",
      once: true,
      action: { kind: "throttle", retryAfterSeconds: 1 },
    });
    await run(`${label} up (draft)`, () => stack.runner.up({ allowErrors: true }));
    stack.program("exchange", [
      {
        name: "drill",
        args: { mailboxRestoreArtifacts: artifacts, activate: true, waitForCompletion: true },
      },
    ]);
    emulator.faults.add({
      method: "POST",
      pattern: "/solutions/backupRestore/restoreSessions/{id}/activate",
      once: true,
      action: { kind: "htmlError" },
    });
    await run(`${label} up (activate, HTML error page)`, () => stack.runner.up());
    emulator.faults.add({
      method: "GET",
      pattern: "/solutions/backupRestore/exchangeRestoreSessions/{id}/mailboxRestoreArtifacts",
      once: true,
      action: { kind: "malformedJson" },
    });
    await run(`${label} up (activate and wait, one restore fails)`, () => stack.runner.up());
    await run(`${label} up (again)`, () => stack.runner.up());
    await run(`${label} refresh`, () => stack.runner.refresh());
    // The checkpoint while it holds the session (with its serialized `__provider`), and again after destroy.
    for (const { file, text } of filesUnder(path.dirname(stack.runner.checkpointPath))) {
      places.push({ where: `${label} checkpoint before destroy ${path.basename(file)}`, text });
    }
    stack.program("exchange", [{ name: "drill", args: { mailboxRestoreArtifacts: "not a list" } }]);
    await run(`${label} preview (bad input)`, () => stack.runner.preview());
    await run(`${label} destroy`, () => stack.runner.destroy());
    emulator.faults.reset();
    for (const { file, text } of filesUnder(path.dirname(stack.runner.checkpointPath))) {
      places.push({ where: `${label} checkpoint ${path.basename(file)}`, text });
    }
    for (const { file, text } of filesUnder(stack.projectDir).filter(
      ({ file }) => !file.includes("node_modules"),
    )) {
      places.push({ where: `${label} project file ${path.relative(stack.projectDir, file)}`, text });
    }
  }

  itTolerant(
    "runs drills with a canary client secret, certificate password and federated token, with failures and faults",
    async () => {
      process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
        captured += chunk.toString();
        return (originalWrite.out as (...args: unknown[]) => boolean)(chunk, ...rest);
      };
      process.stderr.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
        captured += chunk.toString();
        return (originalWrite.err as (...args: unknown[]) => boolean)(chunk, ...rest);
      };
      try {
        // The certificate client's key, encrypted with the canary password (PKCS#8, AES-256-CBC).
        const pem = fs.readFileSync(emulator.certificateClient.certificatePath, "utf8");
        const certificate = pem.match(
          /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
        )?.[0] as string;
        const encryptedKey = crypto.createPrivateKey(pem).export({
          format: "pem",
          type: "pkcs8",
          cipher: "aes-256-cbc",
          passphrase: CANARY_PASSWORD,
        }) as string;
        const certificatePath = path.join(
          fs.mkdtempSync(path.join(os.tmpdir(), "reliability-cert-")),
          "client.pem",
        );
        fs.writeFileSync(certificatePath, `${certificate}\n${encryptedKey}`, { mode: 0o600 });
        const tokenFile = await emulator.federatedClient.writeTokenFile();
        tokenFilePath = tokenFile;
        canaries.push({ name: "federated token", value: fs.readFileSync(tokenFile, "utf8").trim() });

        const base = {
          "m365-backup:tenantId": emulator.tenantId,
          "m365-backup:authorityHost": emulator.authorityHost,
          "m365-backup:graphEndpoint": emulator.graphEndpoint,
        };
        await drill("secret", emulatorStackConfig(emulator, emulator.clientId, CANARY_SECRET), 0);
        await drill(
          "certificate",
          {
            ...base,
            "m365-backup:clientId": emulator.certificateClient.clientId,
            "m365-backup:clientCertificatePath": certificatePath,
            "m365-backup:clientCertificatePassword": { value: CANARY_PASSWORD, secret: true },
          },
          2,
        );
        await drill(
          "federated",
          {
            ...base,
            "m365-backup:clientId": emulator.federatedClient.clientId,
            "m365-backup:federatedTokenFile": tokenFile,
          },
          4,
        );
        await drill("wrong secret", emulatorStackConfig(emulator, emulator.clientId, CANARY_WRONG_SECRET), 6);
      } finally {
        process.stdout.write = originalWrite.out;
        process.stderr.write = originalWrite.err;
      }
      places.push({ where: "this process's stdout and stderr during the drills", text: captured });

      // The drill report, written from the run (its runError keeps error text verbatim).
      const runErrors = places
        .filter((place) => place.where.endsWith(": thrown") || place.where.endsWith(": errors"))
        .map((place) => place.text);
      const now = new Date().toISOString();
      const report = buildDrillReport({
        mode: "lifecycleRunner",
        target: {
          kind: "emulator",
          tenantId: emulator.tenantId,
          graphEndpoint: emulator.graphEndpoint,
          apiVersion: "v1.0",
        },
        startedDateTime: now,
        endedDateTime: now,
        targetRtoInMinutes: 60,
        sessions: [],
        runError: runErrors.join("\n").slice(0, 20_000),
        generator: { name: "reliability", version: "0" },
      });
      const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-report-"));
      for (const { file, text } of filesUnder(path.dirname(writeDrillReport(report, reportDir).json)))
        places.push({ where: `drill report ${path.basename(file)}`, text });

      // The drills did what they should: the secret, certificate and federated credentials got tokens and made
      // a session, the wrong secret did not.
      const worked = (label: string): boolean =>
        places.some(
          (place) => place.where === `${label} up (draft): outputs` && place.text.includes("drillId"),
        );
      expect(
        ["secret", "certificate", "federated"].filter((label) => !worked(label)),
        `drills whose credential did not work: ${places
          .filter(
            (place) =>
              /^(secret|certificate|federated) /.test(place.where) &&
              /(errors|thrown)$/.test(place.where) &&
              place.text !== "[]",
          )
          .map((place) => `${place.where}: ${place.text.slice(0, 300)}`)
          .join(" | ")}`,
      ).to.deep.equal([]);
      expect(
        places.some(
          (place) =>
            place.where.startsWith("wrong secret") &&
            /invalid_client|AADSTS|token|credential|authenticat/i.test(place.text),
        ),
        "the wrong secret was refused",
      ).to.equal(true);
      expect(
        places.some((place) => place.where.includes("checkpoint") && place.text.includes("__provider")),
        "the checkpoint holds the serialized provider",
      ).to.equal(true);

      // A control: the scan finds a canary where it is (the token file itself), so a clean result means something.
      const tokenCanary = canaries.find((canary) => canary.name === "federated token")?.value ?? "";
      const tokenFileText = fs.readFileSync(tokenFilePath, "utf8");
      expect(
        forms(tokenCanary).some((form) => tokenFileText.includes(form)),
        "the scan finds the token in its file",
      ).to.equal(true);

      const leaks: string[] = [];
      for (const canary of canaries) {
        let clean = true;
        for (const place of places) {
          const form = forms(canary.value).find((candidate) => place.text.includes(candidate));
          if (form) {
            clean = false;
            leaks.push(`${canary.name} found in ${place.where}`);
          }
        }
        tally("secrets", clean);
      }
      console.log(`      looked for ${canaries.length} canaries in ${places.length} places`);
      expect(leaks).to.deep.equal([]);
    },
  );
});
