import { AwsError } from "./errors";

/**
 * Reads members of a JSON request and checks them against the model's constraints. A value of
 * the wrong JSON type is a SerializationException (thrown at once, as AWS does); constraint
 * violations are collected and `done()` throws one ValidationException listing all of them,
 * in AWS's wording: "2 validation errors detected: Value 'x' at 'connectionName' failed to
 * satisfy constraint: Member must have length less than or equal to 32; …".
 */
export class InputReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly path = "",
    /** Shared with nested readers, so one `done()` reports every violation. */
    private readonly issues: string[] = [],
  ) {}

  string(name: string, c: StringConstraints & { required?: boolean } = {}): string | undefined {
    const value = this.get(name, c.required);
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw typeError(this.at(name), "a string");
    const problem = stringProblem(value, c);
    if (problem) this.fail(name, value, problem);
    return value;
  }

  /** A list of strings, each checked against `item`. */
  strings(
    name: string,
    c: { required?: boolean; min?: number; max?: number },
    item: StringConstraints = {},
  ): string[] | undefined {
    return this.list(
      name,
      (value, at) => {
        if (typeof value !== "string") throw typeError(at, "a string");
        const problem = stringProblem(value, item);
        if (problem) this.issues.push(issue(value, at, problem));
        return value;
      },
      c,
    );
  }

  integer(name: string, c: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.get(name, c.required);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) throw typeError(this.at(name), "an integer");
    if (c.min !== undefined && value < c.min) {
      this.fail(name, value, `Member must have value greater than or equal to ${c.min}`);
    } else if (c.max !== undefined && value > c.max) {
      this.fail(name, value, `Member must have value less than or equal to ${c.max}`);
    }
    return value;
  }

  enumValue<T extends string>(name: string, values: readonly T[], c: { required?: boolean } = {}): T | undefined {
    const value = this.string(name, c);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.fail(name, value, `Member must satisfy enum value set: [${values.join(", ")}]`);
      return undefined;
    }
    return value as T;
  }

  /** A list; `each` reads item i with a reader whose messages say `<list>.<i>.member.<field>`. */
  list<T>(
    name: string,
    each: (item: unknown, at: string) => T | undefined,
    c: { required?: boolean; min?: number; max?: number } = {},
  ): T[] | undefined {
    const value = this.get(name, c.required);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw typeError(this.at(name), "a list");
    if (c.min !== undefined && value.length < c.min) {
      this.fail(name, `[${value.length} items]`, `Member must have length greater than or equal to ${c.min}`);
    } else if (c.max !== undefined && value.length > c.max) {
      this.fail(name, `[${value.length} items]`, `Member must have length less than or equal to ${c.max}`);
    }
    const out: T[] = [];
    value.forEach((item, i) => {
      const read = each(item, `${this.at(name)}.${i + 1}.member`);
      if (read !== undefined) out.push(read);
    });
    return out;
  }

  /** A nested structure, read with its own reader whose issues are reported with this one's. */
  struct(name: string, c: { required?: boolean } = {}): InputReader | undefined {
    const value = this.get(name, c.required);
    if (value === undefined) return undefined;
    return this.nested(value, this.at(name));
  }

  /** A reader for a nested value (a list item or a structure); issues flow into this reader. */
  nested(value: unknown, at: string): InputReader {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw typeError(at, "a structure");
    return new InputReader(value as Record<string, unknown>, at, this.issues);
  }

  /** Records a constraint violation found by the caller (cross-field rules). */
  fail(name: string, value: unknown, constraint: string): void {
    this.issues.push(issue(value, this.at(name), constraint));
  }

  /** Throws a ValidationException when any constraint was violated. */
  done(): void {
    if (this.issues.length === 0) return;
    const n = this.issues.length;
    throw new AwsError(
      "ValidationException",
      `${n} validation error${n === 1 ? "" : "s"} detected: ${this.issues.join("; ")}`,
    );
  }

  private get(name: string, required = false): unknown {
    const value = this.input[name];
    if (value === undefined || value === null) {
      if (required) this.fail(name, null, "Member must not be null");
      return undefined;
    }
    return value;
  }

  private at(name: string): string {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    return this.path ? `${this.path}.${member}` : member;
  }
}

export interface StringConstraints {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

function stringProblem(value: string, c: StringConstraints): string | undefined {
  if (c.min !== undefined && value.length < c.min) return `Member must have length greater than or equal to ${c.min}`;
  if (c.max !== undefined && value.length > c.max) return `Member must have length less than or equal to ${c.max}`;
  if (c.pattern && !c.pattern.test(value)) return `Member must satisfy regular expression pattern: ${c.pattern.source}`;
  return undefined;
}

function issue(value: unknown, at: string, constraint: string): string {
  const shown = value === null ? "null" : `'${String(value)}'`;
  return `Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`;
}

function typeError(at: string, expected: string): AwsError {
  return new AwsError("SerializationException", `Expected '${at}' to be ${expected}.`);
}
