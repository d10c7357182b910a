// URNs as the engine builds them.

/** The type of the root stack resource. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** Identity of the stack being deployed. */
export interface StackIdentity {
  project: string;
  stack: string;
}

/** Builds a URN as the engine does: the parent's type is qualified in, except for the stack. */
export function makeUrn(identity: StackIdentity, type: string, name: string, parentUrn: string): string {
  let qualifiedType = type;
  if (parentUrn) {
    const parentType = parentUrn.split("::")[2] ?? "";
    if (parentType !== STACK_TYPE) {
      qualifiedType = `${parentType}$${type}`;
    }
  }
  return `urn:pulumi:${identity.stack}::${identity.project}::${qualifiedType}::${name}`;
}
