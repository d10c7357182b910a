// The Automation API path needs the Pulumi CLI. Where it is missing, these tests skip and say so; the
// CLI lookup itself is tested everywhere.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { findPulumiCli, runWithAutomation } from "../../tools/runner";
import { ToyProject } from "./harness";
import { ToyServer } from "./toy-server";

describe("automation API path", function () {
  this.timeout(300_000);

  it("finds a pulumi executable on a PATH, and nothing on a PATH without one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-path-"));
    try {
      expect(findPulumiCli(dir)).to.equal(undefined);
      const executable = path.join(dir, "pulumi");
      fs.writeFileSync(executable, "#!/bin/sh\n", { mode: 0o755 });
      expect(findPulumiCli(["/nonexistent", dir].join(path.delimiter))).to.equal(executable);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to run without a CLI, naming what is missing", async function () {
    if (findPulumiCli()) {
      this.skip();
    }
    const error = await runWithAutomation({ projectDir: os.tmpdir() }, "preview").then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(String(error)).to.match(/no pulumi CLI found on PATH/);
  });

  describe("with the Pulumi CLI", () => {
    before(function () {
      if (!findPulumiCli()) {
        console.log("      skipped: no pulumi CLI found on PATH; the Automation API scenarios need it");
        this.skip();
      }
    });

    it("creates, re-applies as same, and destroys the toy resources through a local file backend", async () => {
      const server = await ToyServer.start();
      try {
        const project = new ToyProject(`exports.id = new ToyItem("a", { name: "a" }).id;`);
        const options = { projectDir: project.dir, config: { "toy:url": server.url } };
        const first = await runWithAutomation(options, "up");
        expect(first.summary.create).to.be.greaterThan(0);
        expect(first.outputs.id).to.equal("item-1");
        const second = await runWithAutomation(options, "up");
        expect(second.summary.create ?? 0).to.equal(0);
        expect(second.summary.update ?? 0).to.equal(0);
        await runWithAutomation(options, "destroy");
        expect(server.items.size).to.equal(0);
      } finally {
        await server.close();
      }
    });
  });
});
