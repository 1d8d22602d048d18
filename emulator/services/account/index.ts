import type { RestJsonService } from "../registry";
import { listRegions } from "./list-regions";
import { ERROR_STATUS, type AccountManagementState } from "./model";

/**
 * AWS Account Management, REST-JSON, signing name `account`: `POST /listRegions`. A global
 * service (AWS serves it from us-east-1); the emulator accepts any Region in the credential scope.
 */
export const accountService: RestJsonService<AccountManagementState> = {
  protocol: "rest-json",
  signingName: "account",
  routes: [{ method: "POST", path: "/listRegions", operation: "ListRegions" }],
  operations: { ListRegions: listRegions },
  errorStatus: ERROR_STATUS,
  errorCodes: { ThrottlingException: "TooManyRequestsException" },
};
