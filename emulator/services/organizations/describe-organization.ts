import type { JsonHandler } from "../registry";
import { POLICY_TYPES, requireMember, type OrganizationsState } from "./model";

/** Any account of the organization (members too) may describe it. */
export const describeOrganization: JsonHandler<OrganizationsState> = (_input, ctx) => {
  const store = requireMember(ctx);
  const org = store.organization;
  if (!org) throw new Error("member of no organization");
  return {
    Organization: {
      Id: org.id,
      Arn: store.organizationArn(),
      FeatureSet: "ALL",
      MasterAccountArn: store.accountArn(org.managementAccount),
      MasterAccountId: org.managementAccount,
      MasterAccountEmail: org.managementEmail,
      AvailablePolicyTypes: POLICY_TYPES,
    },
  };
};
