/** Organization discovery (lib/fleet/discovery.ts): what one run found, kept in the store as JSON. */

/** An account as AWS Organizations lists it. */
export interface OrgAccount {
  id: string;
  name: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED), or the older `Status` when AWS sent no `State`. */
  state: string;
}

/** An account discovery watches: its Regions become scopes reached through `roleArn`. */
export interface DiscoveredAccount extends OrgAccount {
  /** The OU it sits in, as a path of names ("Platform / Shared"); null when OUs were not read (no `includeOus`). */
  ou: string | null;
  regions: string[];
  /** Where the Regions come from: the configuration, the account's enabled Regions, or the last run (ListRegions failed this time). */
  regionsFrom: "config" | "ListRegions" | "previous run";
  roleArn: string;
  /** Why the role could not be assumed (the account is still watched, and its listings show the error); null when it could. */
  roleError: string | null;
  /** Something worth knowing that did not stop it (ListRegions failed and the last run's Regions are used). */
  note: string | null;
}

export const SKIP_REASONS = ["not active", "excluded", "not in includeOus", "ListRegions failed", "no Regions"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** An account of the organization that discovery does not watch, and why. */
export interface SkippedAccount extends OrgAccount {
  ou: string | null;
  reason: SkipReason;
  detail: string;
}

export interface DiscoveryResult {
  organizationId: string;
  managementAccount: string;
  /** The account whose credentials listed the organization (the management account or a delegated administrator). */
  caller: string;
  /** The OUs `includeOus` selected (name path and id); empty without `includeOus`. */
  ous: { id: string; path: string }[];
  accounts: DiscoveredAccount[];
  skipped: SkippedAccount[];
  /** Problems that did not fail the run: an OU of `includeOus` that does not exist. */
  warnings: string[];
  /** AWS calls the run made, by operation. */
  calls: Record<string, number>;
}

/** One run as the settings page shows it. */
export interface DiscoveryRunView {
  id: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** "schedule", "start-up", or the admin who ran it. */
  trigger: string;
  outcome: "ok" | "error";
  error: string | null;
  result: DiscoveryResult | null;
}
