import { describe, expect, test } from "vitest";
import { connectionConsoleUrl, connectionsListConsoleUrl, ConsoleUrlError, hostConsoleUrl } from "./console-url";

const AWS = "https://{region}.console.aws.amazon.com";
const uuid = "7d2469ff-514a-4e4f-9003-5ca4a43cdc41";

describe("connectionConsoleUrl", () => {
  test("service segment follows the ARN prefix", () => {
    expect(connectionConsoleUrl(AWS, `arn:aws:codeconnections:us-east-1:111111111111:connection/${uuid}`)).toBe(
      `https://us-east-1.console.aws.amazon.com/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${uuid}`,
    );
    expect(connectionConsoleUrl(AWS, `arn:aws:codestar-connections:eu-west-1:222222222222:connection/${uuid}`)).toBe(
      `https://eu-west-1.console.aws.amazon.com/codesuite/settings/222222222222/eu-west-1/codestar-connections/connections/${uuid}`,
    );
  });

  test.each(["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "sa-east-1", "ca-central-1", "me-south-1", "af-south-1", "il-central-1", "us-gov-west-1", "ap-southeast-5", "mx-central-1"])(
    "works in %s",
    (region) => {
      const url = new URL(connectionConsoleUrl(AWS, `arn:aws:codeconnections:${region}:123456789012:connection/${uuid}`));
      expect(url.host).toBe(`${region}.console.aws.amazon.com`);
      expect(url.pathname).toContain(`/123456789012/${region}/codeconnections/connections/${uuid}`);
    },
  );

  test("keeps a path prefix of the template (the emulator's console)", () => {
    expect(connectionConsoleUrl("http://localhost:4566/console/{region}", `arn:aws:codeconnections:ap-southeast-2:111111111111:connection/${uuid}`)).toBe(
      `http://localhost:4566/console/ap-southeast-2/codesuite/settings/111111111111/ap-southeast-2/codeconnections/connections/${uuid}`,
    );
  });

  test.each(["not-an-arn", `arn:aws:codeconnections:us-east-1:111111111111:host/h-1`, `arn:aws:evil.example:us-east-1:111111111111:connection/${uuid}`, `arn:aws:codeconnections:us-east-1:111111111111:connection/a/b`])(
    "rejects %s",
    (arn) => {
      expect(() => connectionConsoleUrl(AWS, arn)).toThrow(ConsoleUrlError);
    },
  );

  test("list fallback and host pages", () => {
    expect(connectionsListConsoleUrl(AWS, "eu-west-1")).toBe("https://eu-west-1.console.aws.amazon.com/codesuite/settings/connections?region=eu-west-1");
    expect(hostConsoleUrl(AWS, "arn:aws:codestar-connections:us-east-1:111111111111:host/ghes-28aef605")).toBe(
      "https://us-east-1.console.aws.amazon.com/codesuite/settings/111111111111/us-east-1/codestar-connections/hosts/ghes-28aef605",
    );
  });
});

describe("pipeline links", () => {
  test("pipeline and execution pages", async () => {
    const { pipelineConsoleUrl, executionConsoleUrl } = await import("./console-url");
    expect(pipelineConsoleUrl(AWS, "eu-west-1", "web-frontend")).toBe("https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/web-frontend/view?region=eu-west-1");
    expect(executionConsoleUrl(AWS, "us-east-1", "web", "0c5f1d2e-1111-4a3b-9c8d-0123456789ab")).toBe(
      "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/web/executions/0c5f1d2e-1111-4a3b-9c8d-0123456789ab/timeline?region=us-east-1",
    );
    expect(() => pipelineConsoleUrl(AWS, "us-east-1", "../../x")).toThrow(ConsoleUrlError);
    expect(() => executionConsoleUrl(AWS, "us-east-1", "web", "a/b")).toThrow(ConsoleUrlError);
  });
});
