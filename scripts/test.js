#!/usr/bin/env node
// Runs every test suite. The emulator serves HTTPS with a certificate authority made for this run; the
// real @azure/identity and axios only trust it through NODE_EXTRA_CA_CERTS, which Node reads once at
// start. So this launcher makes the CA first, then starts mocha with the variable set, and every
// emulator a test starts signs its server certificate with that CA. The provider's create journal goes
// to a folder of this run too, so tests never read or leave entries in the user's own journal.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { createCertificateAuthority } = require("../dist/emulator/tls.js");

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-test-ca-"));
  try {
    const ca = await createCertificateAuthority(dir);
    const journalDir = path.join(dir, "journal");
    const mocha = require.resolve("mocha/bin/mocha.js");
    const result = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], {
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: ca.certPath,
        M365_BACKUP_EMULATOR_CA_DIR: dir,
        M365_BACKUP_JOURNAL_DIR: journalDir,
      },
    });
    process.exitCode = result.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
