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
const { createCertificateAuthority } = require("../dist/tools/emulator/tls.js");

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-test-ca-"));
  try {
    const ca = await createCertificateAuthority(dir);
    const journalDir = path.join(dir, "journal");
    // Add the test CA to what Node already trusts instead of replacing it: a machine whose registry or
    // proxy is trusted through NODE_EXTRA_CA_CERTS must still reach it from the tests' `npm install`
    // (Debian's Node also reads the system store; the official Node binaries, CI's Node 24, do not).
    const trusted = trustedCertificates(dir, ca.certPath, process.env.NODE_EXTRA_CA_CERTS);
    const mocha = require.resolve("mocha/bin/mocha.js");
    const result = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], {
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: trusted,
        M365_BACKUP_EMULATOR_CA_DIR: dir,
        M365_BACKUP_JOURNAL_DIR: journalDir,
      },
    });
    process.exitCode = result.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A bundle of `inherited` (when it is a readable file) followed by the test CA; else the test CA alone. */
function trustedCertificates(dir, caPath, inherited) {
  if (!inherited || path.resolve(inherited) === path.resolve(caPath)) {
    return caPath;
  }
  let existing;
  try {
    existing = fs.readFileSync(inherited, "utf8");
  } catch {
    return caPath;
  }
  const bundle = path.join(dir, "trusted.pem");
  fs.writeFileSync(bundle, `${existing.trimEnd()}\n${fs.readFileSync(caPath, "utf8")}`);
  return bundle;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
