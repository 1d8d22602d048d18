/**
 * AWS Organizations state: at most one organization (the fixture's), its root, organizational
 * units and member accounts, and the delegated administrators. The `org` fixture fills it; every
 * other fixture leaves it empty (no organization: every call answers
 * AWSOrganizationsNotInUseException).
 */

export type AccountState = "PENDING_ACTIVATION" | "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED";
/** The older field AWS retires in September 2026: no PENDING_ACTIVATION or CLOSED. */
export type AccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
export type JoinedMethod = "INVITED" | "CREATED";

/** What `Status` says for each `State` (AWS's account-state page: a CLOSED account reads SUSPENDED). */
export const STATUS_OF_STATE: Readonly<Record<AccountState, AccountStatus>> = {
  PENDING_ACTIVATION: "ACTIVE",
  ACTIVE: "ACTIVE",
  SUSPENDED: "SUSPENDED",
  PENDING_CLOSURE: "PENDING_CLOSURE",
  CLOSED: "SUSPENDED",
};

export interface OrganizationRecord {
  /** `o-` and 10 lowercase letters or digits. */
  id: string;
  managementAccount: string;
  managementEmail: string;
  /** `r-` and 4 lowercase letters or digits. */
  rootId: string;
}

export interface OuRecord {
  seq: number;
  /** `ou-<root suffix>-<8 lowercase letters or digits>` */
  id: string;
  name: string;
  parentId: string;
}

export interface OrgAccountRecord {
  seq: number;
  id: string;
  name: string;
  email: string;
  state: AccountState;
  joinedMethod: JoinedMethod;
  joinedAt: Date;
  /** The root or OU the account sits in. */
  parentId: string;
}

/** An organization as a fixture describes it (times: offsets in ms from the moment of seeding). */
export interface FixtureOrganization {
  id: string;
  managementAccount: string;
  managementName: string;
  managementEmail: string;
  rootId: string;
  /** Under the root unless `parentId` names another OU listed before. */
  ous: { id: string; name: string; parentId?: string }[];
  /** The members (the management account is added first, under the root, joined at creation). */
  accounts: {
    id: string;
    name: string;
    email: string;
    state: AccountState;
    joinedMethod: JoinedMethod;
    joinedOffsetMs: number;
    /** An OU id, or absent: the root. */
    parentId?: string;
  }[];
  /** Member accounts registered as delegated administrators (may call the list operations). */
  delegatedAdministrators: string[];
  /** When the organization was created (the management account's JoinedTimestamp). */
  createdOffsetMs: number;
}

export class OrganizationStore {
  organization: OrganizationRecord | undefined;
  /** By OU id; insertion order is creation order. */
  readonly ous = new Map<string, OuRecord>();
  /** By account id, the management account first; insertion order is the order accounts joined. */
  readonly accounts = new Map<string, OrgAccountRecord>();
  readonly delegatedAdministrators = new Set<string>();
  private seq = 0;

  load(data: FixtureOrganization | undefined, now: Date): void {
    this.organization = undefined;
    this.ous.clear();
    this.accounts.clear();
    this.delegatedAdministrators.clear();
    this.seq = 0;
    if (!data) return;
    this.organization = {
      id: data.id,
      managementAccount: data.managementAccount,
      managementEmail: data.managementEmail,
      rootId: data.rootId,
    };
    const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
    for (const ou of data.ous) this.ous.set(ou.id, { seq: ++this.seq, id: ou.id, name: ou.name, parentId: ou.parentId ?? data.rootId });
    this.addAccount({
      id: data.managementAccount,
      name: data.managementName,
      email: data.managementEmail,
      state: "ACTIVE",
      joinedMethod: "CREATED",
      joinedAt: at(data.createdOffsetMs),
      parentId: data.rootId,
    });
    for (const a of data.accounts) {
      const { joinedOffsetMs, parentId, ...rest } = a;
      this.addAccount({ ...rest, joinedAt: at(joinedOffsetMs), parentId: parentId ?? data.rootId });
    }
    for (const id of data.delegatedAdministrators) this.delegatedAdministrators.add(id);
  }

  addAccount(a: Omit<OrgAccountRecord, "seq">): OrgAccountRecord {
    const record = { ...a, seq: ++this.seq };
    this.accounts.set(record.id, record);
    return record;
  }

  /** The management account and the delegated administrators may list and describe the organization. */
  mayAdminister(account: string): boolean {
    return this.organization !== undefined && (account === this.organization.managementAccount || this.delegatedAdministrators.has(account));
  }

  /** Whether the account belongs to the organization (the management account included). */
  isMember(account: string): boolean {
    return this.organization !== undefined && this.accounts.has(account);
  }

  /** The root (`r-…`) or an OU (`ou-…`) by id; undefined when neither exists. */
  parentExists(id: string): boolean {
    return this.organization !== undefined && (id === this.organization.rootId || this.ous.has(id));
  }

  childOus(parentId: string): OuRecord[] {
    return [...this.ous.values()].filter((ou) => ou.parentId === parentId);
  }

  accountsIn(parentId: string): OrgAccountRecord[] {
    return [...this.accounts.values()].filter((a) => a.parentId === parentId);
  }

  ouByName(name: string): OuRecord | undefined {
    return [...this.ous.values()].find((ou) => ou.name === name);
  }

  accountArn(id: string): string {
    const org = this.requireOrganization();
    return `arn:aws:organizations::${org.managementAccount}:account/${org.id}/${id}`;
  }

  organizationArn(): string {
    const org = this.requireOrganization();
    return `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`;
  }

  rootArn(): string {
    const org = this.requireOrganization();
    return `arn:aws:organizations::${org.managementAccount}:root/${org.id}/${org.rootId}`;
  }

  ouArn(id: string): string {
    const org = this.requireOrganization();
    return `arn:aws:organizations::${org.managementAccount}:ou/${org.id}/${id}`;
  }

  private requireOrganization(): OrganizationRecord {
    if (!this.organization) throw new Error("no organization");
    return this.organization;
  }
}
