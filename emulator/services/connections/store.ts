import { parseResourceArn } from "../../arns";
import type { ConnectionRecord, HostRecord, NewConnection, NewHost } from "../../model";

/**
 * CodeConnections state (both endpoints, both ARN prefixes): connections, which are
 * account-global — `region` on a record is its home Region (where it was created, the Region in
 * its ARN), not a Region it is confined to — and hosts, which are regional.
 */
export class ConnectionStore {
  /** Every connection of every account, by UUID; insertion order is creation order. */
  readonly connections = new Map<string, ConnectionRecord>();
  /** By host id (last ARN segment). Each host lives in one account and Region. */
  readonly hosts = new Map<string, HostRecord>();
  /** One sequence for connections and hosts: creation order. */
  private seq = 0;

  /** Replaces everything with a fixture's hosts and connections (hosts first). */
  load(data: { hosts: readonly NewHost[]; connections: readonly NewConnection[] }): void {
    this.connections.clear();
    this.hosts.clear();
    this.seq = 0;
    for (const h of data.hosts) this.addHost(h);
    for (const c of data.connections) this.addConnection(c);
  }

  /**
   * The connection an ARN of either prefix names: the account, home Region and UUID in the ARN
   * must all be the connection's. Connections are account-global (AWS replicates them to every
   * Region), so the caller's Region plays no part: a pipeline in any Region finds a connection of
   * any home Region of its account this way.
   */
  connectionByArn(arn: string): ConnectionRecord | undefined {
    const ref = parseResourceArn(arn);
    const record = ref?.kind === "connection" ? this.connections.get(ref.id) : undefined;
    return record && ref && record.account === ref.account && record.region === ref.region ? record : undefined;
  }

  /** The host an ARN of either prefix names, when its account, Region and id are all the host's. */
  hostByArn(arn: string): HostRecord | undefined {
    const ref = parseResourceArn(arn);
    const record = ref?.kind === "host" ? this.hosts.get(ref.id) : undefined;
    return record && ref && record.account === ref.account && record.region === ref.region ? record : undefined;
  }

  addConnection(c: NewConnection): ConnectionRecord {
    const record = { ...c, seq: ++this.seq };
    this.connections.set(record.uuid, record);
    return record;
  }

  addHost(h: NewHost): HostRecord {
    const record = { ...h, seq: ++this.seq };
    this.hosts.set(record.id, record);
    return record;
  }

  /**
   * Every connection of an account, of every home Region and both ARN prefixes, in creation
   * order: what ListConnections answers in any Region.
   */
  connectionsOf(account: string): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.account === account);
  }

  /** The account's connections whose home Region (the Region in their ARN) is `region`. */
  connectionsHomedIn(account: string, region: string): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.account === account && c.region === region);
  }

  /** The connections installed on a host (a host's connections share its account and Region). */
  connectionsOnHost(host: HostRecord): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.hostArn !== undefined && this.hostByArn(c.hostArn) === host);
  }

  /** Hosts are regional: the hosts of one account in one Region. */
  hostsIn(account: string, region: string): HostRecord[] {
    return [...this.hosts.values()].filter((h) => h.account === account && h.region === region);
  }
}
