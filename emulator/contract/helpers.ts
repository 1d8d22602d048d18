import { AccountClient } from "@aws-sdk/client-account";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CodeStarConnectionsClient, type CodeStarConnectionsClientConfig } from "@aws-sdk/client-codestar-connections";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type FixtureName, type RunningEmulator } from "../server";

/** Shared set-up for the contract tests: the real SDK clients against an emulator on a free port. */

export const DUMMY_CREDENTIALS = { accessKeyId: "x", secretAccessKey: "x" };

export function startTestEmulator(fixture: FixtureName = "demo"): Promise<RunningEmulator> {
  return startEmulator({ port: 0, fixture });
}

type Credentials = CodeStarConnectionsClientConfig["credentials"];

export function connectionsClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): CodeStarConnectionsClient {
  return new CodeStarConnectionsClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export const CODECONNECTIONS_TARGET_PREFIX = "CodeConnections_20231201";

/**
 * A CodeStarConnectionsClient that speaks to the CodeConnections endpoint, standing in for
 * `@aws-sdk/client-codeconnections` (absent from this registry): a build-step middleware rewrites
 * `X-Amz-Target` to `CodeConnections_20231201.<Op>` (before signing, so it is signed), and an
 * `httpAuthSchemeProvider` whose SigV4 option carries `signingName: "codeconnections"`, which
 * `AwsSdkSigV4Signer` passes to the signer as the credential-scope service.
 */
export function codeConnectionsClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): CodeStarConnectionsClient {
  const client = new CodeStarConnectionsClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
    httpAuthSchemeProvider: (params) => [
      {
        schemeId: "aws.auth#sigv4",
        signingProperties: { name: "codeconnections", signingName: "codeconnections", signingRegion: params.region },
        propertiesExtractor: (config, context) => ({ signingProperties: { config, context } }),
      },
    ],
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers;
      const target = headers?.["x-amz-target"];
      if (headers && target) headers["x-amz-target"] = `${CODECONNECTIONS_TARGET_PREFIX}${target.slice(target.lastIndexOf("."))}`;
      return next(args);
    },
    { step: "build", name: "codeConnectionsTarget" },
  );
  return client;
}

export function codePipelineClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): CodePipelineClient {
  return new CodePipelineClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function cloudWatchClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): CloudWatchClient {
  return new CloudWatchClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function eventBridgeClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): EventBridgeClient {
  return new EventBridgeClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function organizationsClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): OrganizationsClient {
  return new OrganizationsClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function accountClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: Credentials; maxAttempts?: number } = {},
): AccountClient {
  return new AccountClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function stsClient(
  emulator: RunningEmulator,
  opts: { region?: string; credentials?: STSClientConfig["credentials"]; maxAttempts?: number } = {},
): STSClient {
  return new STSClient({
    region: opts.region ?? "us-east-1",
    endpoint: emulator.url,
    credentials: opts.credentials ?? DUMMY_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

/** A syntactically valid SigV4 header (the emulator never checks the signature itself). */
export function fakeAuthorization(service: string, region = "us-east-1", accessKeyId = "x"): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261125/${region}/${service}/aws4_request, ` +
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000"
  );
}

/** A hand-made AWS JSON call, for what the SDK cannot send (other target forms, bad input). */
export async function rawJson(
  emulator: RunningEmulator,
  opts: { target: string; body?: string | Buffer; authorization?: string | null; headers?: Record<string, string> },
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": opts.target,
    ...opts.headers,
  };
  if (opts.authorization !== null) headers.authorization = opts.authorization ?? fakeAuthorization("codestar-connections");
  const body = typeof opts.body === "string" || opts.body === undefined ? (opts.body ?? "{}") : Uint8Array.from(opts.body);
  const res = await fetch(`${emulator.url}/`, { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

/** A hand-made query-protocol call. */
export async function rawQuery(
  emulator: RunningEmulator,
  opts: { form: string; authorization?: string | null },
): Promise<{ status: number; headers: Headers; text: string }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  if (opts.authorization !== null) headers.authorization = opts.authorization ?? fakeAuthorization("sts");
  const res = await fetch(`${emulator.url}/`, { method: "POST", headers, body: opts.form });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export async function control(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  // The control API takes JSON only (a cross-site page cannot send that content type).
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    ...(method === "GET" ? {} : { headers: { "content-type": "application/json" } }),
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}

/**
 * One emulator for a contract test file (Tether against it, or the emulator's own): started before
 * the file's tests, closed after, and reseeded with `fixture` before each test (before the file's
 * own beforeEach, which runs after this one). `set` receives it once it listens.
 */
export function emulatorPerFile(fixture: FixtureName, set: (emulator: RunningEmulator) => void): void {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await startEmulator({ port: 0, fixture });
    set(running);
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    if (running) await control(running, "POST", "/_emulator/seed", { fixture });
  });
}

/** The AWS_* variables that point Tether's SDK clients at the emulator, with test credentials. */
export function awsEnv(emulator: RunningEmulator, region = "us-east-1"): Record<string, string> {
  return { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: region, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
}
