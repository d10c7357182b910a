// The wire conventions the runner applies between program, state and provider host.
import { expect } from "chai";
import {
  annotateSecrets,
  changedKeys,
  makeSecret,
  secretKeys,
  stripSecrets,
  UNKNOWN_VALUE,
  containsUnknown,
} from "../../tools/runner/properties";
import { makeUrn } from "../../tools/runner/urn";
import { decideStep } from "../../tools/runner/decide";

describe("runner property conventions", () => {
  it("strips secrets anywhere for a provider that does not accept them, keeping the values", () => {
    const value = { a: makeSecret("x"), b: [makeSecret({ c: makeSecret(1) })], d: null };
    expect(stripSecrets(value)).to.deep.equal({ a: "x", b: [{ c: 1 }], d: null });
  });

  it("re-marks as secret the top-level outputs whose inputs were secret", () => {
    const inputs = { password: makeSecret("p"), nested: { deep: makeSecret(1) }, plain: 1 };
    const keys = secretKeys(inputs);
    expect([...keys].sort()).to.deep.equal(["nested", "password"]);
    expect(annotateSecrets({ password: "p", nested: { deep: 1 }, plain: 1, extra: 2 }, keys)).to.deep.equal({
      password: makeSecret("p"),
      nested: makeSecret({ deep: 1 }),
      plain: 1,
      extra: 2,
    });
  });

  it("names changed top-level keys, comparing secrets by value and ignoring key order", () => {
    expect(
      changedKeys({ a: { x: 1, y: 2 }, b: makeSecret("s"), c: 1 }, { a: { y: 2, x: 1 }, b: "s", d: 1 }),
    ).to.deep.equal(["c", "d"]);
  });

  it("finds the preview's unknown sentinel inside nested values", () => {
    expect(containsUnknown({ a: [1, { b: UNKNOWN_VALUE }] })).to.be.true;
    expect(containsUnknown({ a: [1, { b: "known" }] })).to.be.false;
  });

  it("builds URNs as the engine does: no stack type for top-level resources, parent types qualified in", () => {
    const identity = { project: "proj", stack: "dev" };
    const stackUrn = makeUrn(identity, "pulumi:pulumi:Stack", "proj-dev", "");
    expect(stackUrn).to.equal("urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
    expect(makeUrn(identity, "t:m:R", "a", stackUrn)).to.equal("urn:pulumi:dev::proj::t:m:R::a");
    const component = makeUrn(identity, "my:c:C", "c", stackUrn);
    expect(makeUrn(identity, "t:m:R", "child", component)).to.equal(
      "urn:pulumi:dev::proj::my:c:C$t:m:R::child",
    );
  });

  describe("step decisions (the engine's rules)", () => {
    const olds = { __provider: "old code", name: "a", value: 1 };
    const base = { oldInputs: olds, initErrors: [], replaceOnChanges: [] };
    const diff = (
      changes: "unknown" | "none" | "some",
      replaces: string[] = [],
      deleteBeforeReplace = false,
    ) => ({
      changes,
      replaces,
      diffs: [],
      deleteBeforeReplace,
    });

    it("without a provider diff compares inputs, ignoring a changed __provider", () => {
      expect(
        decideStep({ ...base, diff: diff("unknown"), newInputs: { ...olds, __provider: "new code" } }),
      ).to.deep.equal({ kind: "same", diffs: [] });
      expect(decideStep({ ...base, diff: diff("unknown"), newInputs: { ...olds, value: 2 } })).to.deep.equal({
        kind: "update",
        diffs: ["value"],
      });
    });

    it("replaces when the diff names replaces, delete-before-replace from the option first, else from the diff", () => {
      const newInputs = { ...olds, name: "b" };
      expect(decideStep({ ...base, diff: diff("some", ["name"], true), newInputs })).to.include({
        kind: "replace",
        deleteBeforeReplace: true,
      });
      expect(
        decideStep({
          ...base,
          diff: diff("some", ["name"], true),
          newInputs,
          deleteBeforeReplaceOption: false,
        }),
      ).to.include({
        kind: "replace",
        deleteBeforeReplace: false,
      });
      expect(
        decideStep({ ...base, diff: diff("some", ["name"]), newInputs, deleteBeforeReplaceOption: true }),
      ).to.include({ deleteBeforeReplace: true });
    });

    it("replaces when a replaceOnChanges property changed, even if the diff only asks for an update", () => {
      const decision = decideStep({
        ...base,
        replaceOnChanges: ["value"],
        diff: diff("some"),
        newInputs: { ...olds, value: 2 },
      });
      expect(decision).to.deep.equal({
        kind: "replace",
        diffs: ["value"],
        replaces: ["value"],
        deleteBeforeReplace: false,
      });
    });

    it("updates a resource kept after a partial creation even when nothing changed", () => {
      expect(
        decideStep({ ...base, initErrors: ["did not start"], diff: diff("none"), newInputs: olds }),
      ).to.deep.equal({ kind: "update", diffs: [] });
    });

    it("is same when the provider says no changes, whatever the inputs", () => {
      expect(decideStep({ ...base, diff: diff("none"), newInputs: { ...olds, value: 2 } })).to.deep.equal({
        kind: "same",
        diffs: [],
      });
    });
  });
});
