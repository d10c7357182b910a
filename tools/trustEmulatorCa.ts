/**
 * Node reads NODE_EXTRA_CA_CERTS once, at start, and the emulator's CA does not exist yet then. A script
 * that starts emulators (the drill, the benchmarks) therefore makes the CA first and runs itself again
 * with the CA trusted; every emulator of that run signs its server certificate with it, and child
 * processes (the provider host, the Pulumi CLI) inherit the trust through the same environment.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createCertificateAuthority } from "./emulator";

/** Set in the second run, so a script knows it already trusts the CA. */
export const TRUSTS_EMULATOR_CA = "M365_BACKUP_TRUSTS_EMULATOR_CA";

/** True when this process was started by {@link rerunTrustingEmulatorCa}. */
export function trustsEmulatorCa(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TRUSTS_EMULATOR_CA] === "1";
}

/**
 * Runs `script` again with `argv` in a child that trusts a CA made for it, forwarding SIGINT and
 * SIGTERM; resolves to the child's exit code. The CA is removed afterwards.
 */
export async function rerunTrustingEmulatorCa(
  script: string,
  argv: readonly string[],
  tempPrefix: string,
): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  try {
    const ca = await createCertificateAuthority(dir);
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...argv], {
        stdio: "inherit",
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: ca.certPath,
          M365_BACKUP_EMULATOR_CA_DIR: dir,
          [TRUSTS_EMULATOR_CA]: "1",
        },
      });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on("SIGINT", forward).on("SIGTERM", forward);
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
