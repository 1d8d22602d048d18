import type { JsonHandler } from "../registry";
import { ouShape, page, PARENT_ID, readPage, requireAdministrator, requiredId, type OrganizationsState } from "./model";
import { AwsError } from "../../protocol/errors";

/** The OUs directly under a root or OU, in creation order. */
export const listOrganizationalUnitsForParent: JsonHandler<OrganizationsState> = (input, ctx) => {
  const store = requireAdministrator(ctx);
  const parentId = requiredId(input, "ParentId", PARENT_ID, 100);
  const pageInput = readPage(input);
  if (!store.parentExists(parentId)) throw parentNotFound();
  const result = page(store.childOus(parentId), pageInput, `ous/${parentId}`);
  return {
    OrganizationalUnits: result.items.map((ou) => ouShape(store, ou)),
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
  };
};

export function parentNotFound(): AwsError {
  return new AwsError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
}
