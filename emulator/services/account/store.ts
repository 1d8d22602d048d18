/**
 * Account Management state: the Regions of the emulated partition and each account's opt-in
 * status for them. A default Region is ENABLED_BY_DEFAULT in every account (AWS cannot disable
 * it); an opt-in Region is DISABLED unless the fixture (or the control API) says otherwise.
 */

export type RegionOptStatus = "ENABLED" | "ENABLING" | "DISABLING" | "DISABLED" | "ENABLED_BY_DEFAULT";
export const REGION_OPT_STATUSES: readonly RegionOptStatus[] = ["ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT"];

export interface PartitionRegion {
  name: string;
  /** Opt-in Regions must be enabled per account; the others are ENABLED_BY_DEFAULT everywhere. */
  optIn: boolean;
}

/** A fixture's Regions: the partition, and per account the status of its opt-in Regions that are not DISABLED. */
export interface FixtureRegions {
  partition: PartitionRegion[];
  optIns: Record<string, Record<string, Exclude<RegionOptStatus, "ENABLED_BY_DEFAULT" | "DISABLED">>>;
}

export class RegionStore {
  /** Sorted by name: the order ListRegions answers in. */
  private partition: PartitionRegion[] = [];
  private readonly optIns = new Map<string, Map<string, RegionOptStatus>>();

  load(data: FixtureRegions): void {
    this.partition = [...data.partition].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.optIns.clear();
    for (const [account, regions] of Object.entries(data.optIns)) this.setOptIns(account, regions);
  }

  setOptIns(account: string, regions: Readonly<Record<string, RegionOptStatus>>): void {
    const known = new Set(this.partition.filter((r) => r.optIn).map((r) => r.name));
    for (const name of Object.keys(regions)) {
      if (!known.has(name)) throw new Error(`${name} is not an opt-in Region of the emulated partition`);
    }
    this.optIns.set(account, new Map(Object.entries(regions)));
  }

  /** Every Region of the partition with the account's status, sorted by name. */
  regionsOf(account: string): { name: string; status: RegionOptStatus }[] {
    const optIns = this.optIns.get(account);
    return this.partition.map((r) => ({
      name: r.name,
      status: r.optIn ? (optIns?.get(r.name) ?? "DISABLED") : "ENABLED_BY_DEFAULT",
    }));
  }
}
