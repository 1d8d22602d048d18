import type { QueryHandler } from "../registry";

export const getCallerIdentity: QueryHandler = (_params, ctx) => ({
  UserId: ctx.identity.userId,
  Account: ctx.identity.account,
  Arn: ctx.identity.arn,
});
