// The checkpoint: values that change shape on the way through the SDK's serialization and the gRPC
// Struct (undefined, null, numbers, nested arrays) come back as they would under the engine, survive
// a new runner reading the same file, and secrets never appear in it in plaintext.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { LifecycleRunner, SECRET_SIGNATURE, SIGNATURE_KEY } from "../../tools/runner";
import { CheckpointStore } from "../../tools/runner/checkpoint";
import { customSteps, ToyProject } from "./harness";
import { ToyServer } from "./toy-server";

describe("checkpoint store", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-checkpoint-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const secret = { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: { token: "p4ssw0rd" } };
  const data = {
    resources: [
      {
        urn: "urn:pulumi:dev::p::t::a",
        type: "t",
        name: "a",
        custom: true,
        id: "1",
        inputs: { nested: [1, [2, null]], secret },
        outputs: { secret },
        dependencies: [],
      },
    ],
    outputs: { exported: secret },
  };

  it("writes secrets as ciphertext and reads them back with the same passphrase", () => {
    const file = path.join(dir, "stack.json");
    new CheckpointStore(file, { project: "p", stack: "dev" }, "correct horse").save(data);
    const text = fs.readFileSync(file, "utf8");
    expect(text).to.not.include("p4ssw0rd");
    expect(text).to.include(SECRET_SIGNATURE);
    expect(new CheckpointStore(file, { project: "p", stack: "dev" }, "correct horse").load()).to.deep.equal(
      data,
    );
  });

  it("refuses to read secrets with the wrong passphrase, saying so", () => {
    const file = path.join(dir, "stack.json");
    new CheckpointStore(file, { project: "p", stack: "dev" }, "correct horse").save(data);
    expect(() => new CheckpointStore(file, { project: "p", stack: "dev" }, "wrong").load()).to.throw(
      /wrong passphrase/,
    );
  });

  it("loads an empty stack when the file does not exist yet", () => {
    expect(
      new CheckpointStore(path.join(dir, "none.json"), { project: "p", stack: "dev" }, "").load(),
    ).to.deep.equal({ resources: [], outputs: {} });
  });
});

describe("checkpoint round trips through the runner", function () {
  this.timeout(180_000);
  let server: ToyServer;
  const runners: LifecycleRunner[] = [];

  beforeEach(async () => {
    server = await ToyServer.start();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.close()));
    await server.close();
  });

  const PROGRAM = `
    const a = new ToyItem("a", { name: "a", value: {
      float: 1.5, big: 9007199254740993, nested: [[1, [2, [3]]], []], nothing: null,
      missing: undefined, sparse: [1, undefined, 3], empty: {}, text: "",
    } });
    const s = new ToyItem("s", { name: "s", value: pulumi.secret("hunter2") });
    exports.value = a.value;
    exports.secretValue = s.value;
  `;

  // What the SDK's serialization and the Struct make of the program's value: undefined properties
  // vanish, undefined array elements become null, numbers are doubles.
  const SURVIVING_VALUE = {
    float: 1.5,
    big: 9007199254740992,
    nested: [[1, [2, [3]]], []],
    nothing: null,
    sparse: [1, null, 3],
    empty: {},
    text: "",
  };

  it("hands the provider, the state and the program the values a Struct can carry, and re-applies them as same", async () => {
    const project = new ToyProject(PROGRAM);
    const runner = project.runner(server);
    runners.push(runner);
    const first = await runner.up();
    expect(server.items.get("item-1")?.value).to.deep.equal(SURVIVING_VALUE);
    expect(first.outputs).to.deep.equal({ value: SURVIVING_VALUE, secretValue: "hunter2" });
    expect(runner.resources().find((resource) => resource.name === "a")?.outputs.value).to.deep.equal(
      SURVIVING_VALUE,
    );

    const second = await runner.up();
    expect(customSteps(second)).to.deep.equal([
      ["same", "a"],
      ["same", "s"],
    ]);
  });

  it("keeps secret inputs secret in state and the stack config out of it, and a new runner reads the file back", async () => {
    const project = new ToyProject(PROGRAM);
    const options = { secretsPassphrase: "drill" };
    const runner = project.runner(server, options);
    runners.push(runner);
    await runner.up();
    const text = fs.readFileSync(runner.checkpointPath, "utf8");
    expect(text).to.not.include("hunter2");
    expect(text).to.not.include("toy-token-value");
    expect(text).to.not.include(server.url);
    const stored = runner.resources().find((resource) => resource.name === "s");
    expect(stored?.inputs.value).to.deep.equal({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "hunter2" });
    expect(stored?.outputs.value).to.deep.equal({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "hunter2" });

    await runner.close();
    const again = project.runner(server, options);
    runners.push(again);
    const result = await again.up();
    expect(customSteps(result)).to.deep.equal([
      ["same", "a"],
      ["same", "s"],
    ]);
    expect(result.outputs).to.deep.equal({ value: SURVIVING_VALUE, secretValue: "hunter2" });
  });

  it("leaves a consistent checkpoint when the provider host dies in the middle of an up", async () => {
    const project = new ToyProject(`
      const a = new ToyItem("a", { name: "a" });
      new ToyItem("b", { name: "b", value: a.id });
    `);
    const runner = project.runner(server);
    runners.push(runner);
    // "b" is created on the server but its response never comes: the host dies waiting.
    server.failNext({ method: "POST", after: 1, hang: true, message: "never answered" });
    const up = runner.up({ allowErrors: true });
    await waitFor(() => server.items.size === 2);
    process.kill(runner.providerHostPid!, "SIGKILL");
    const interrupted = await up;
    expect(interrupted.errors.map((error) => [error.urn?.split("::").at(-1), error.operation])).to.deep.equal(
      [["b", "create"]],
    );
    const custom = runner.resources().filter((resource) => resource.custom);
    expect(custom.map((resource) => [resource.name, resource.id])).to.deep.equal([["a", "item-1"]]);

    await runner.restartProviderHost();
    const resumed = await runner.up();
    expect(customSteps(resumed)).to.deep.equal([
      ["same", "a"],
      ["create", "b"],
    ]);
  });

  it("records a create in flight as a pending operation, which the next up reports after a crash", async () => {
    const project = new ToyProject(`new ToyItem("a", { name: "a" });`);
    const runner = project.runner(server);
    runners.push(runner);
    server.failNext({ method: "POST", hang: true, message: "never answered" });
    const up = runner.up({ allowErrors: true });
    await waitFor(() => server.items.size === 1);
    // The checkpoint as a runner that died at this moment would leave it.
    const duringCreate = fs.readFileSync(runner.checkpointPath, "utf8");
    expect(JSON.parse(duringCreate).pendingOperations).to.deep.equal([
      {
        urn: "urn:pulumi:dev::runner-test::pulumi-nodejs:dynamic/toy:Item::a",
        type: "pulumi-nodejs:dynamic/toy:Item",
        operation: "creating",
      },
    ]);
    process.kill(runner.providerHostPid!, "SIGKILL");
    await up;
    await runner.close();
    fs.writeFileSync(runner.checkpointPath, duringCreate);

    const next = project.runner(server);
    runners.push(next);
    const result = await next.up();
    const warning = result.diagnostics.find((diagnostic) => diagnostic.source === "runner");
    expect(warning?.message).to.match(
      /interrupted while creating urn:.*::a; the resource may exist outside the stack/,
    );
    expect(JSON.parse(fs.readFileSync(next.checkpointPath, "utf8")).pendingOperations).to.equal(undefined);
  });
});

/** Polls `condition` every few milliseconds (a real server changes state; there is no event to await). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
