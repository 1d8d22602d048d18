import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findHost, HOST_ARN_PATTERN, type ConnectionsState } from "./model";

/** The model's GetHostOutput has no HostArn and no StatusMessage. */
export const getHost: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("HostArn", { required: true, max: 256, pattern: HOST_ARN_PATTERN });
  r.done();
  const host = findHost(ctx, arn ?? "");
  return {
    Name: host.name,
    Status: host.status,
    ProviderType: host.providerType,
    ProviderEndpoint: host.providerEndpoint,
    ...(host.vpcConfiguration ? { VpcConfiguration: host.vpcConfiguration } : {}),
  };
};
