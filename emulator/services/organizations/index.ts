import type { JsonService } from "../registry";
import { describeAccount } from "./describe-account";
import { describeOrganization } from "./describe-organization";
import { listAccounts } from "./list-accounts";
import { listAccountsForParent } from "./list-accounts-for-parent";
import { listOrganizationalUnitsForParent } from "./list-organizational-units-for-parent";
import { listRoots } from "./list-roots";
import type { OrganizationsState } from "./model";

/**
 * AWS Organizations, AWS JSON 1.1, signing name `organizations`. A global service: AWS serves it
 * from us-east-1 (the SDKs sign us-east-1 whatever Region they are configured for, unless given
 * a custom endpoint: then they sign their configured Region); the emulator accepts any Region.
 * The model gives no error an `httpError` trait: every error is 400, throttling included
 * (`TooManyRequestsException`).
 */
export const organizationsService: JsonService<OrganizationsState> = {
  protocol: "json",
  jsonVersion: "1.1",
  targets: [
    { prefix: "AWSOrganizationsV20161128", signingName: "organizations" },
    { prefix: "com.amazonaws.organizations.AWSOrganizationsV20161128", signingName: "organizations" },
  ],
  signingNames: ["organizations"],
  operations: {
    DescribeOrganization: describeOrganization,
    DescribeAccount: describeAccount,
    ListRoots: listRoots,
    ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
    ListAccounts: listAccounts,
    ListAccountsForParent: listAccountsForParent,
  },
  errorCodes: { ThrottlingException: "TooManyRequestsException" },
};
