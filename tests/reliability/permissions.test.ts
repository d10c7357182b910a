/**
 * Permissions and service state: an app with read-only roles, an app with no roles at all, and a
 * tenant whose restores are locked. Each `up` fails with an error that says what is missing (the
 * permission's name) or what is locked, and nothing is created.
 */
import { expect } from "chai";
import { emulatorStackConfig, type Emulator, type SecretClientName } from "../../tools/emulator";
import type { InstalledPackage, OperationResult } from "../../tools/runner";
import { startTestEmulator } from "../helpers/emulator";
import {
  allMessages,
  RelStack,
  sessionMark,
  sessionsInEmulator,
  sharedInstall,
  unclearReason,
  unitPoints,
  itTolerant,
} from "./fixture";
import { tally } from "./summary";

const RESTORE_READ_WRITE = "BackupRestore-Restore.ReadWrite.All";

describe("reliability: missing permissions and a restore-locked tenant give clear errors", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let installed: InstalledPackage;
  const stacks: RelStack[] = [];

  before(async () => {
    installed = await sharedInstall();
    emulator = await startTestEmulator({ restoreMs: 20 });
  });
  after(async () => {
    await Promise.all(stacks.map((stack) => stack.close()));
    await emulator?.close();
  });

  function stackAs(client: SecretClientName): RelStack {
    const seeded = emulator.clients.find((candidate) => candidate.name === client);
    if (!seeded?.secret) throw new Error(`the emulator has no secret client ${client}`);
    const stack = RelStack.create(emulator, installed, {
      name: `permissions-${client}`,
      config: emulatorStackConfig(emulator, seeded.clientId, seeded.secret),
    });
    stacks.push(stack);
    return stack;
  }

  async function upWithOneSession(stack: RelStack, skip: number, activate = false): Promise<OperationResult> {
    const [point] = await unitPoints(emulator, "exchange", 1, skip);
    stack.program("exchange", [
      {
        name: "s",
        args: { mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }], activate },
      },
    ]);
    return stack.runner.up({ allowErrors: true });
  }

  function expectClear(result: OperationResult, mustName: RegExp): void {
    expect(result.errors, "the up failed").to.not.deep.equal([]);
    const messages = result.errors.map((error) => error.message);
    for (const message of messages) expect(unclearReason(message), message).to.equal(undefined);
    expect(messages.join("\n")).to.match(mustName);
  }

  itTolerant(
    "read-only and no-role apps: up fails naming the missing permission, and nothing is created",
    async () => {
      const before = await sessionMark(emulator);
      const [readOnly, noRoles] = await Promise.all([
        upWithOneSession(stackAs("readOnly"), 0),
        upWithOneSession(stackAs("noRoles"), 1),
      ]);
      for (const [label, result] of [
        ["readOnly", readOnly],
        ["noRoles", noRoles],
      ] as const) {
        let passed = false;
        try {
          expectClear(result, new RegExp(RESTORE_READ_WRITE.replace(/\./g, "\\.")));
          passed = true;
        } finally {
          tally("permissions", passed);
        }
        expect(label).to.be.a("string");
      }
      const created = (await sessionsInEmulator(emulator)).filter((session) => !before.has(session.id));
      expect(created).to.deep.equal([]);
    },
  );

  itTolerant(
    "a restore-locked tenant: up fails saying restores are locked, and nothing is created",
    async () => {
      let passed = false;
      const before = await sessionMark(emulator);
      emulator.setServiceStatus("restoreLocked");
      try {
        const result = await upWithOneSession(stackAs("readWrite"), 2, true);
        expectClear(result, /RestoreLocked|restoreLocked|locked/);
        const created = (await sessionsInEmulator(emulator)).filter((session) => !before.has(session.id));
        expect(created, allMessages(result).join(" | ")).to.deep.equal([]);
        passed = true;
      } finally {
        emulator.setServiceStatus("enabled");
        tally("permissions", passed);
      }
    },
  );
});
