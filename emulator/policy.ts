import type { Identity } from "./identity";
import { AwsError } from "./protocol/errors";

/**
 * The one IAM policy the emulator models: a role whose name contains "ReadOnly" (any case; the
 * demo assumes `arn:aws:iam::222222222222:role/TetherReadOnly`) may read but not change
 * anything. Its sessions get AccessDeniedException, in AWS's wording, from every operation a
 * service lists as mutating (`JsonService.mutatingOperations`); everything else, and every other
 * identity, is allowed.
 */

const READ_ONLY_ROLE = /readonly/i;

export function isReadOnly(identity: Identity): boolean {
  return identity.kind === "assumed-role" && READ_ONLY_ROLE.test(identity.roleName);
}

/**
 * `User: <caller> is not authorized to perform: <service>:<Operation> on resource: <arn> because
 * no identity-based policy allows the <service>:<Operation> action` — the IAM action prefix is
 * the signing name (so `codestar-connections:` or `codeconnections:` after the endpoint called).
 */
export function accessDenied(identity: Identity, action: string, resource: string, status: number): AwsError {
  return new AwsError(
    "AccessDeniedException",
    `User: ${identity.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    status,
  );
}
