import type { QueryService } from "../registry";
import { assumeRole, type StsState } from "./assume-role";
import { getCallerIdentity } from "./get-caller-identity";

/** AWS STS, query protocol (the JS SDK and aws-cli both send forms and expect XML). */
export const stsService: QueryService<StsState> = {
  protocol: "query",
  signingName: "sts",
  xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  operations: {
    AssumeRole: assumeRole,
    GetCallerIdentity: getCallerIdentity,
  },
};
