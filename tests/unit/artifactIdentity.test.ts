/**
 * The three rules that decide whether a session artifact is a declared one differ on purpose; these
 * tests pin each difference, so that folding them into one (or loosening the take-over) fails here
 * before it fails an exactly-once test.
 */
import { expect } from "chai";
import type { AnyArtifactInput } from "../../provider/resources/session/artifactIdentity";
import {
  ARTIFACT_RULES,
  declaredFacts,
  describeArtifact,
  pairArtifacts,
  sessionFacts,
} from "../../provider/resources/session/artifactIdentity";
import type { SessionArtifact } from "../../provider/model";

const POINT = "1f1fccc3-a642-4f61-bf49-f37b9a888279";
const OTHER_POINT = "2e2eddd4-b753-4a72-8c5a-a48c0b999380";
const BROWSE = "b0b0b0b0-0000-4000-8000-000000000001";

const byId = (destinationType: "new" | "inPlace" = "new"): AnyArtifactInput => ({
  restorePoint: { id: POINT },
  destinationType,
});
const search = (searchResponseId: string): AnyArtifactInput => ({
  restorePoint: { id: POINT },
  searchResponseId,
  destinationType: "new",
});
const item = (id: string, destinationType?: "new" | "inPlace"): AnyArtifactInput => ({
  browseSessionId: BROWSE,
  id,
  ...(destinationType === undefined ? {} : { destinationType }),
});

function standardIn(fields: Partial<Record<string, unknown>>): SessionArtifact {
  return {
    id: `a-${Math.random()}`,
    status: "added",
    restorePoint: { id: POINT },
    ...fields,
  };
}
function itemIn(id: string, fields: Partial<Record<string, unknown>> = {}): SessionArtifact {
  return { id, browseSessionId: BROWSE, status: "added", ...fields };
}

function accepts(
  rule: keyof typeof ARTIFACT_RULES,
  declared: AnyArtifactInput,
  actual: SessionArtifact,
): boolean {
  return ARTIFACT_RULES[rule](declaredFacts(declared), sessionFacts(actual));
}

describe("artifact identity: which session artifact is which declared one", () => {
  it("compares restore point ids case-insensitively, as GUIDs", () => {
    const actual = standardIn({ restorePoint: { id: POINT.toUpperCase() }, destinationType: "new" });
    for (const rule of ["ownDraft", "adoption", "takeOver"] as const) {
      expect(accepts(rule, byId(), actual), rule).to.equal(true);
    }
    expect(accepts("ownDraft", byId(), standardIn({ restorePoint: { id: OTHER_POINT } }))).to.equal(false);
  });

  it("lets an unreported destination pass on our own draft only", () => {
    const unreported = standardIn({});
    expect(accepts("ownDraft", byId(), unreported)).to.equal(true);
    expect(accepts("adoption", byId(), unreported)).to.equal(false);
    expect(accepts("takeOver", byId(), unreported)).to.equal(false);
    // A reported destination must agree under every rule: in place is never taken for new.
    for (const rule of ["ownDraft", "adoption", "takeOver"] as const) {
      expect(accepts(rule, byId("new"), standardIn({ destinationType: "inPlace" })), rule).to.equal(false);
    }
  });

  it("compares a mail search's response id for adoption and take-over, not on our own draft", () => {
    const other = standardIn({ destinationType: "new", searchResponseId: "other" });
    expect(accepts("ownDraft", search("mine"), other)).to.equal(true);
    expect(accepts("adoption", search("mine"), other)).to.equal(false);
    expect(accepts("takeOver", search("mine"), other)).to.equal(false);
    expect(
      accepts("takeOver", byId(), standardIn({ destinationType: "new", searchResponseId: "x" })),
    ).to.equal(false);
  });

  it("takes a browse item by its key, and its browse session only on take-over", () => {
    const elsewhere = itemIn("k1", { browseSessionId: "another-browse-session", destinationType: "new" });
    expect(accepts("ownDraft", item("k1", "new"), elsewhere)).to.equal(true);
    expect(accepts("adoption", item("k1", "new"), elsewhere)).to.equal(true);
    expect(accepts("takeOver", item("k1", "new"), elsewhere)).to.equal(false);
  });

  it("reads a browse item without a destination as new on take-over, and as any on adoption", () => {
    expect(accepts("takeOver", item("k1"), itemIn("k1"))).to.equal(true);
    expect(accepts("takeOver", item("k1"), itemIn("k1", { destinationType: "new" }))).to.equal(true);
    expect(accepts("takeOver", item("k1"), itemIn("k1", { destinationType: "inPlace" }))).to.equal(false);
    expect(accepts("adoption", item("k1"), itemIn("k1", { destinationType: "inPlace" }))).to.equal(true);
  });

  it("pairs each session artifact with one declared artifact at most, in order", () => {
    const one = standardIn({ destinationType: "new" });
    const { matched, missing, extra } = pairArtifacts([byId(), byId()], [one], ARTIFACT_RULES.adoption);
    expect(matched.map((pair) => pair.id)).to.deep.equal([one.id]);
    expect(missing).to.have.length(1);
    expect(extra).to.deep.equal([]);
    const surplus = pairArtifacts(
      [byId()],
      [one, standardIn({ destinationType: "new" })],
      ARTIFACT_RULES.adoption,
    );
    expect(surplus.extra).to.have.length(1);
  });

  it("describes an artifact in the words take-over messages use", () => {
    expect(describeArtifact(declaredFacts(byId("inPlace")))).to.equal(`restore point ${POINT} to inPlace`);
    expect(describeArtifact(sessionFacts(standardIn({})))).to.equal(
      `restore point ${POINT} to an unreported destination`,
    );
    expect(describeArtifact(declaredFacts(search("s1")))).to.equal(
      `search response s1 of restore point ${POINT} to new`,
    );
    expect(describeArtifact(sessionFacts(itemIn("K1")))).to.equal(
      `browse item K1 of browse session ${BROWSE} to new`,
    );
  });
});
