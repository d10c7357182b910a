// The lifecycle runner against a toy dynamic provider: the program runs under the SDK's mocks in a
// child process, the provider runs in the SDK's dynamic-provider host, and the provider's "cloud" is
// a toy HTTP server that logs every request, so each test sees what `pulumi up` would have done.
import * as fs from "node:fs";
import { expect } from "chai";
import { LifecycleError, type LifecycleRunner, type OperationResult } from "../../tools/runner";
import { customSteps, ToyProject } from "./harness";
import { ToyServer } from "./toy-server";

describe("lifecycle runner with a toy dynamic provider", function () {
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

  function start(source: string): { project: ToyProject; runner: LifecycleRunner } {
    const project = new ToyProject(source);
    const runner = project.runner(server);
    runners.push(runner);
    return { project, runner };
  }

  function printProviderSizes(result: OperationResult): void {
    for (const [type, bytes] of Object.entries(result.providerSizes)) {
      console.log(`      serialized __provider of ${type}: ${bytes} bytes`);
    }
  }

  it("creates resources in dependency order, feeds outputs to dependents, and re-applies as all same with no writes", async () => {
    const { runner } = start(`
      const a = new ToyItem("a", { name: "alpha", value: 1 });
      const b = new ToyItem("b", { name: a.id.apply((id) => "child-of-" + id), value: 2 });
      exports.aId = a.id;
      exports.bName = b.name;
    `);
    const first = await runner.up();
    printProviderSizes(first);
    expect(customSteps(first)).to.deep.equal([
      ["create", "a"],
      ["create", "b"],
    ]);
    expect(first.outputs).to.deep.equal({ aId: "item-1", bName: "child-of-item-1" });
    expect(first.providerSizes["pulumi-nodejs:dynamic/toy:Item"]).to.be.greaterThan(1000);
    expect(server.writes.map((request) => request.name)).to.deep.equal(["alpha", "child-of-item-1"]);
    // The secret config value reached the provider through Configure, unwrapped.
    expect(server.requests.every((request) => request.authorization === "Bearer toy-token-value")).to.be.true;

    const writesBefore = server.writes.length;
    const second = await runner.up();
    expect(customSteps(second)).to.deep.equal([
      ["same", "a"],
      ["same", "b"],
    ]);
    expect(second.outputs).to.deep.equal(first.outputs);
    expect(server.writes.length).to.equal(writesBefore);
  });

  it("updates in place when an input that does not force replacement changes", async () => {
    const { project, runner } = start(
      `exports.value = new ToyItem("a", { name: "alpha", value: "one" }).value;`,
    );
    await runner.up();
    project.write(`exports.value = new ToyItem("a", { name: "alpha", value: "two" }).value;`);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([["update", "a"]]);
    expect(result.steps.find((step) => step.op === "update")?.diffs).to.deep.equal(["value"]);
    expect(result.outputs).to.deep.equal({ value: "two" });
    expect(server.writes.map((request) => [request.method, request.path])).to.deep.equal([
      ["POST", "/items"],
      ["PUT", "/items/item-1"],
    ]);
  });

  it("replaces create-before-delete: the new resource exists before the old one is deleted, and dependents see the new id", async () => {
    const { project, runner } = start(`
      const a = new ToyItem("a", { name: "first" });
      new ToyItem("b", { name: "b", value: a.id });
    `);
    await runner.up();
    project.write(`
      const a = new ToyItem("a", { name: "second" });
      new ToyItem("b", { name: "b", value: a.id });
    `);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([
      ["create-replacement", "a"],
      ["replace", "a"],
      ["update", "b"],
      ["delete-replaced", "a"],
    ]);
    expect(result.steps.find((step) => step.op === "replace")?.replaces).to.deep.equal(["name"]);
    expect(server.writes.slice(2).map((request) => `${request.method} ${request.path}`)).to.deep.equal([
      "POST /items",
      "PUT /items/item-2",
      "DELETE /items/item-1",
    ]);
    expect(
      Object.fromEntries([...server.items.values()].map((item) => [item.id, [item.name, item.value]])),
    ).to.deep.equal({
      "item-2": ["b", "item-3"],
      "item-3": ["second", undefined],
    });
    expect(
      runner
        .resources()
        .filter((resource) => resource.custom)
        .map((resource) => resource.id),
    ).to.have.members(["item-2", "item-3"]);
  });

  it("replaces delete-before-replace when the resource option asks for it", async () => {
    const { project, runner } = start(`new ToyItem("a", { name: "first" }, { deleteBeforeReplace: true });`);
    await runner.up();
    project.write(`new ToyItem("a", { name: "second" }, { deleteBeforeReplace: true });`);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([
      ["delete-replaced", "a"],
      ["create-replacement", "a"],
      ["replace", "a"],
    ]);
    expect(server.writes.slice(1).map((request) => `${request.method} ${request.path}`)).to.deep.equal([
      "DELETE /items/item-1",
      "POST /items",
    ]);
  });

  it("replaces delete-before-replace when the provider's diff asks for it", async () => {
    const { project, runner } = start(`new ToyItem("a", { name: "first", replaceDeletingFirst: true });`);
    await runner.up();
    project.write(`new ToyItem("a", { name: "second", replaceDeletingFirst: true });`);
    await runner.up();
    expect(server.writes.slice(1).map((request) => request.method)).to.deep.equal(["DELETE", "POST"]);
  });

  it("keeps a partially created resource in state with its error, and the next up updates it instead of creating another", async () => {
    const { runner } = start(`exports.id = new ToyItem("a", { name: "alpha", value: 1 }).id;`);
    server.failNext({ method: "POST", partial: true, message: "created but did not start" });
    const error = await runner.up().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(LifecycleError.isInstance(error)).to.be.true;
    const failed = (error as LifecycleError).result;
    expect(failed.errors).to.have.length(1);
    expect(failed.errors[0]).to.include({ operation: "create", message: "created but did not start" });
    expect(failed.errors[0]?.initErrors).to.deep.equal(["created but did not start"]);
    const recorded = runner.resources().find((resource) => resource.name === "a");
    expect(recorded).to.include({ id: "item-1" });
    expect(recorded?.initErrors).to.deep.equal(["created but did not start"]);

    const retried = await runner.up();
    expect(customSteps(retried)).to.deep.equal([["update", "a"]]);
    expect(retried.outputs).to.deep.equal({ id: "item-1" });
    expect(server.writes.map((request) => `${request.method} ${request.path}`)).to.deep.equal([
      "POST /items",
      "PUT /items/item-1",
    ]);
    expect(server.items.size).to.equal(1);
    expect(runner.resources().find((resource) => resource.name === "a")?.initErrors).to.equal(undefined);
  });

  it("deletes resources removed from the program in reverse dependency order, after the program's other steps", async () => {
    const { project, runner } = start(`
      const a = new ToyItem("a", { name: "a" });
      const b = new ToyItem("b", { name: "b", value: a.id });
      new ToyItem("c", { name: "c", value: b.id });
    `);
    await runner.up();
    project.write(`new ToyItem("d", { name: "d" });`);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([
      ["create", "d"],
      ["delete", "c"],
      ["delete", "b"],
      ["delete", "a"],
    ]);
    expect(server.writes.slice(3).map((request) => `${request.method} ${request.name}`)).to.deep.equal([
      "POST d",
      "DELETE c",
      "DELETE b",
      "DELETE a",
    ]);
  });

  it("does not delete removed resources when another step of the same up fails", async () => {
    const { project, runner } = start(`new ToyItem("a", { name: "a" });`);
    await runner.up();
    project.write(`new ToyItem("b", { name: "b" });`);
    server.failNext({ method: "POST", message: "quota exceeded" });
    const result = await runner.up({ allowErrors: true });
    expect(result.errors.map((error) => [error.operation, error.message])).to.deep.equal([
      ["create", "quota exceeded"],
    ]);
    expect(customSteps(result)).to.deep.equal([["create", "b"]]);
    expect(server.items.size).to.equal(1);
    expect(runner.resources().map((resource) => resource.name)).to.include("a");
  });

  it("previews changes with Check and Diff only: no writes and an untouched checkpoint", async () => {
    const { project, runner } = start(`
      new ToyItem("a", { name: "a", value: 1 });
      new ToyItem("b", { name: "b" });
      new ToyItem("c", { name: "c" });
    `);
    await runner.up();
    const checkpointBefore = fs.readFileSync(runner.checkpointPath, "utf8");
    const requestsBefore = server.requests.length;
    project.write(`
      new ToyItem("a", { name: "a", value: 2 });
      new ToyItem("b", { name: "b-renamed" });
      new ToyItem("d", { name: "d" });
    `);
    const result = await runner.preview();
    expect(result.steps.every((step) => step.preview)).to.be.true;
    expect(customSteps(result)).to.have.deep.members([
      ["update", "a"],
      ["replace", "b"],
      ["create", "d"],
      ["delete", "c"],
    ]);
    expect(server.requests.length).to.equal(requestsBefore);
    expect(fs.readFileSync(runner.checkpointPath, "utf8")).to.equal(checkpointBefore);
  });

  it("refresh drops a resource whose read finds nothing, and the next up creates it again", async () => {
    const { runner } = start(`
      new ToyItem("a", { name: "a" });
      new ToyItem("b", { name: "b" });
    `);
    await runner.up();
    server.items.delete("item-1");
    const item2 = server.items.get("item-2")!;
    server.items.set("item-2", { ...item2, value: "changed out of band" });
    const refreshed = await runner.refresh();
    expect(refreshed.steps.map((step) => [step.name, step.refreshResult])).to.have.deep.members([
      ["a", "gone"],
      ["b", "changed"],
    ]);
    expect(server.writes.length).to.equal(2);
    expect(runner.resources().map((resource) => resource.name)).to.not.include("a");
    expect(runner.resources().find((resource) => resource.name === "b")?.outputs.value).to.equal(
      "changed out of band",
    );

    const again = await runner.up();
    expect(customSteps(again)).to.have.deep.members([
      ["create", "a"],
      ["update", "b"],
    ]);
  });

  // The engine's import Read (ImportStep in pkg/resource/deploy/step.go) carries the id and nothing
  // else; the SDK's host looks for the serialized provider in it and fails before the provider's read
  // runs: "Cannot read properties of undefined" (SDK 3.248, no state at all) or "code must be a string"
  // (later SDKs, or engines before 3.198 that sent an empty state). pulumi/pulumi#3550, #16175.
  const IMPORT_HOST_ERROR = /Cannot read properties of undefined|code must be a string/;

  it("imports as the CLI does: Read carries no __provider, so the SDK host fails it and nothing is recorded", async () => {
    const { runner } = start(`new ToyItem("a", { name: "existing", value: 7 });`);
    server.items.set("item-42", { id: "item-42", name: "existing", value: 7, seq: 1 });
    const requestsBefore = server.requests.length;
    const result = await runner.import({ a: "item-42" }, { allowErrors: true });
    expect(result.errors[0]?.operation).to.equal("import");
    expect(result.errors[0]?.message).to.match(IMPORT_HOST_ERROR);
    expect(customSteps(result)).to.deep.equal([["import", "a"]]);
    // The provider's read never ran, and nothing was created in its place.
    expect(server.requests.length).to.equal(requestsBefore);
    expect(runner.resources().filter((resource) => resource.custom)).to.have.length(0);
  });

  it("fails the import resource option in preview too, as the engine reads during preview", async () => {
    const { runner } = start(`new ToyItem("a", { name: "existing", value: 8 }, { import: "item-42" });`);
    server.items.set("item-42", { id: "item-42", name: "existing", value: 7, seq: 1 });
    const result = await runner.preview({ allowErrors: true });
    expect(result.errors[0]?.operation).to.equal("import");
    expect(result.errors[0]?.message).to.match(IMPORT_HOST_ERROR);
    expect(server.writes).to.have.length(0);
  });

  it("destroys every resource, dependents first, and leaves an empty stack", async () => {
    const { runner } = start(`
      const a = new ToyItem("a", { name: "a" });
      new ToyItem("b", { name: "b", value: a.id });
    `);
    await runner.up();
    const result = await runner.destroy();
    expect(customSteps(result)).to.deep.equal([
      ["delete", "b"],
      ["delete", "a"],
    ]);
    expect(server.items.size).to.equal(0);
    expect(runner.resources()).to.have.length(0);
  });

  it("captures the provider's pulumi.log messages and the program's output as diagnostics", async () => {
    const { runner } = start(`console.log("hello from the program"); new ToyItem("a", { name: "a" });`);
    const result = await runner.up();
    expect(result.diagnostics).to.deep.include({
      severity: "info",
      message: "toy created item-1",
      source: "provider-log",
    });
    expect(result.diagnostics).to.deep.include({
      severity: "info",
      message: "hello from the program",
      source: "program",
    });
  });

  it("keeps working after the provider host is killed and restarted between ups", async () => {
    const { project, runner } = start(`new ToyItem("a", { name: "a", value: 1 });`);
    await runner.up();
    const before = runner.providerHostPid;
    await runner.restartProviderHost();
    expect(runner.providerHostPid).to.be.a("number").and.not.equal(before);
    project.write(`new ToyItem("a", { name: "a", value: 2 });`);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([["update", "a"]]);
    // The fresh host was configured again: the provider still has its URL and token.
    expect(server.requests.at(-1)).to.include({ method: "PUT", authorization: "Bearer toy-token-value" });
  });

  it("falls back to comparing inputs when the provider has no diff (DIFF_UNKNOWN)", async () => {
    const { project, runner } = start(`new ToyItemNoDiff("a", { name: "a", value: 1 });`);
    await runner.up();
    expect(customSteps(await runner.up())).to.deep.equal([["same", "a"]]);
    project.write(`new ToyItemNoDiff("a", { name: "a", value: 2 });`);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([["update", "a"]]);
    expect(result.steps.find((step) => step.custom)?.diffs).to.deep.equal(["value"]);
  });

  it("reports a check failure against the resource and calls no create", async () => {
    const { runner } = start(`new ToyItem("a", { name: "" });`);
    const result = await runner.up({ allowErrors: true });
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]).to.include({ operation: "check" });
    expect(result.errors[0]?.message).to.match(/name: name must be a non-empty string/);
    expect(server.writes).to.have.length(0);
  });

  it("reports a program that throws as a program error", async () => {
    const { runner } = start(`throw new Error("the program is broken");`);
    const result = await runner.up({ allowErrors: true });
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]?.operation).to.equal("program");
    expect(result.errors[0]?.message).to.match(/the program is broken/);
  });
});
