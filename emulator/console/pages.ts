import { connectionArn, hostArn, type ArnPrefix } from "../arns";
import { escapeHtml as e } from "../html";
import type { ConnectionRecord, ConnectionStatus, HostRecord, HostStatus, ProviderType } from "../model";
import { connectionPath, connectionsListPath, hostPath, hostsListPath } from "./paths";

/**
 * The emulator's stand-in for the AWS Developer Tools console (Settings › Connections / Hosts):
 * server-rendered HTML, plain POST forms, no JavaScript. Every interpolated value goes through
 * `e()` (escapeHtml).
 */

export const PROVIDER_NAMES: Record<ProviderType, string> = {
  Bitbucket: "Bitbucket",
  GitHub: "GitHub",
  GitHubEnterpriseServer: "GitHub Enterprise Server",
  GitLab: "GitLab",
  GitLabSelfManaged: "GitLab self-managed",
  AzureDevOps: "Azure DevOps",
};

const STATUS_NAMES: Record<ConnectionStatus | HostStatus, string> = {
  PENDING: "Pending",
  AVAILABLE: "Available",
  ERROR: "Error",
};

export type Flash = { kind: "success" | "error"; message: string };

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:"Amazon Ember","Helvetica Neue",Roboto,Arial,sans-serif;font-size:14px;color:#16191f;background:#f2f3f3}
  header{display:flex;align-items:center;justify-content:space-between;height:42px;padding:0 20px;background:#232f3e;color:#fff}
  header .brand{font-weight:700;font-size:15px}
  header .meta{color:#d5dbdb;font-size:13px}
  main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
  nav.crumbs{font-size:13px;color:#545b64;margin:4px 0 14px}
  nav.crumbs a{color:#0073bb;text-decoration:none}
  nav.crumbs a:hover{text-decoration:underline}
  nav.crumbs .sep{margin:0 6px;color:#879596}
  h1{font-size:24px;font-weight:700;margin:0 0 16px}
  h2{font-size:18px;font-weight:700;margin:0}
  .panel{background:#fff;border-radius:2px;box-shadow:0 1px 1px 0 rgba(0,28,36,.3),1px 1px 1px 0 rgba(0,28,36,.15),-1px 1px 1px 0 rgba(0,28,36,.15);margin-bottom:20px}
  .panel>.head{display:flex;align-items:center;justify-content:space-between;padding:14px 20px;border-bottom:1px solid #eaeded;background:#fafafa}
  .panel>.body{padding:16px 20px}
  dl.details{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:14px 24px;margin:0}
  dl.details dt{color:#545b64;font-size:13px;margin-bottom:2px}
  dl.details dd{margin:0;word-break:break-all}
  a{color:#0073bb}
  .status{font-weight:700}
  .status.AVAILABLE{color:#1d8102}.status.PENDING{color:#687078}.status.ERROR{color:#d13212}
  .status.Succeeded{color:#1d8102}.status.Failed{color:#d13212}.status.InProgress{color:#0073bb}.status.NotRun{color:#687078;font-weight:400}
  code,.mono{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px}
  .flash{padding:12px 16px;margin-bottom:16px;border:1px solid;border-radius:2px}
  .flash.success{background:#f2f8f0;border-color:#1d8102;color:#1d8102}
  .flash.error{background:#fdf3f1;border-color:#d13212;color:#b0160a}
  .notice{padding:12px 16px;margin-bottom:16px;border:1px solid #0073bb;background:#f1faff;border-radius:2px}
  .notice.warning{border-color:#ff9900;background:#fffbf2}
  .notice h3{margin:0 0 4px;font-size:14px}
  .btn{display:inline-block;padding:5px 20px;font-size:14px;font-weight:700;border-radius:2px;border:1px solid #545b64;background:#fff;color:#545b64;cursor:pointer;text-decoration:none;font-family:inherit}
  .btn.primary{background:#ec7211;border-color:#ec7211;color:#fff}
  .btn.primary:hover{background:#eb5f07;border-color:#dd6b10}
  .btn.danger{border-color:#d13212;color:#d13212}
  form.inline{display:inline;margin:0}
  .actions{display:flex;gap:10px;margin-top:18px}
  table{width:100%;border-collapse:collapse}
  th,td{text-align:left;padding:9px 12px;border-bottom:1px solid #eaeded;vertical-align:top}
  th{font-size:13px;color:#545b64;background:#fafafa}
  td.arn{font-size:12px;color:#545b64;word-break:break-all}
  .tabs{display:flex;gap:0;margin-bottom:16px;border-bottom:1px solid #d5dbdb}
  .tabs a{padding:8px 16px;text-decoration:none;color:#545b64;font-weight:700;border-bottom:3px solid transparent}
  .tabs a[aria-current=page]{color:#ec7211;border-bottom-color:#ec7211}
  .note{color:#545b64;font-size:13px;margin:0 0 12px}
  label{display:block;font-weight:700;margin:14px 0 4px}
  input[type=text],input[type=password],select{width:100%;max-width:420px;padding:6px 8px;font-size:14px;border:1px solid #aab7b8;border-radius:2px;font-family:inherit}
  .field-error{color:#d13212;margin:6px 0 0}
  .provider{max-width:520px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;overflow:hidden}
  .provider .site{padding:10px 20px;background:#24292f;color:#fff;font-size:13px}
  .provider .content{padding:20px}
  .provider h2{margin:0 0 10px;font-size:20px}
  .provider ul{padding-left:20px;margin:8px 0}
  .btn.connect{background:#2da44e;border-color:#2da44e;color:#fff}
`;

/** A page in the console frame: header bar, breadcrumb, title. */
export function consolePage(opts: { title: string; region: string; crumbs: [string, string?][]; body: string; account?: string }): string {
  const crumbs = opts.crumbs
    .map(([label, href]) => (href ? `<a href="${e(href)}">${e(label)}</a>` : `<span aria-current="page">${e(label)}</span>`))
    .join('<span class="sep" aria-hidden="true">›</span>');
  const meta = [opts.account ? `Account ${opts.account}` : undefined, opts.region].filter(Boolean).join(" · ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(opts.title)} | Developer Tools | AWS Console (Tether emulator)</title>
<style>${STYLE}</style>
</head>
<body>
<header><span class="brand">AWS Console (Tether emulator)</span><span class="meta">${e(meta)}</span></header>
<main>
<nav class="crumbs" aria-label="Breadcrumb">${crumbs}</nav>
${opts.body}
</main>
</body>
</html>`;
}

function connectionCrumbs(region: string, last?: [string, string?]): [string, string?][] {
  const list = connectionsListPath(region);
  return [["Developer Tools", list], ["Settings", list], ["Connections", last ? list : undefined], ...(last ? [last] : [])];
}

function hostCrumbs(region: string, last?: [string, string?]): [string, string?][] {
  const list = hostsListPath(region);
  return [["Developer Tools", connectionsListPath(region)], ["Settings", connectionsListPath(region)], ["Hosts", last ? list : undefined], ...(last ? [last] : [])];
}

function flashBox(flash: Flash | undefined): string {
  if (!flash) return "";
  const role = flash.kind === "success" ? "status" : "alert";
  return `<div class="flash ${flash.kind}" role="${role}">${e(flash.message)}</div>`;
}

function status(value: ConnectionStatus | HostStatus): string {
  return `<span class="status ${e(value)}">${e(STATUS_NAMES[value] ?? value)}</span>`;
}

/** A plain GET form with one button: a real button (role "button") that navigates. */
function navButton(action: string, label: string, primary = true): string {
  return `<form class="inline" method="get" action="${e(action)}"><button type="submit" class="btn${primary ? " primary" : ""}">${e(label)}</button></form>`;
}

export interface ConnectionView {
  connection: ConnectionRecord;
  svc: ArnPrefix;
  /** The host of a self-managed connection (absent for cloud providers). */
  host?: HostRecord;
  flash?: Flash;
}

export function connectionDetailsPage(v: ConnectionView): string {
  const c = v.connection;
  const self = connectionPath(c, v.svc);
  const hostBlocked = v.host && v.host.status !== "AVAILABLE";
  let notice = "";
  let action = "";
  if (c.status === "PENDING" && hostBlocked && v.host) {
    notice = hostFirstNotice(v.host);
  } else if (c.status === "PENDING") {
    notice = `<div class="notice"><h3>This connection is pending</h3>Its handshake with ${e(PROVIDER_NAMES[c.providerType])} is not finished: choose <strong>Update pending connection</strong> to authorize AWS and make it Available.</div>`;
    action = navButton(`${self}/update`, "Update pending connection");
  }
  const hostCell = v.host
    ? `<a href="${e(hostPath(v.host, v.host.prefix))}">${e(v.host.name)}</a>`
    : c.hostArn
      ? e(c.hostArn)
      : "-";
  const tags = c.tags.length
    ? `<table><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead><tbody>${c.tags
        .map((t) => `<tr><td>${e(t.Key)}</td><td>${e(t.Value)}</td></tr>`)
        .join("")}</tbody></table>`
    : `<p class="note">No tags.</p>`;
  const body = `${flashBox(v.flash)}<h1>${e(c.name)}</h1>
${notice}
<section class="panel" aria-labelledby="details-heading">
<div class="head"><h2 id="details-heading">Connection settings</h2><div>${action}</div></div>
<div class="body"><dl class="details">
<div><dt>Name</dt><dd>${e(c.name)}</dd></div>
<div><dt>Status</dt><dd>${status(c.status)}</dd></div>
<div><dt>Provider</dt><dd>${e(PROVIDER_NAMES[c.providerType])}</dd></div>
<div><dt>ARN</dt><dd>${e(connectionArn(c))}</dd></div>
<div><dt>Owner account</dt><dd>${e(c.ownerAccountId)}</dd></div>
<div><dt>Host</dt><dd>${hostCell}</dd></div>
</dl></div>
</section>
<section class="panel" aria-labelledby="tags-heading">
<div class="head"><h2 id="tags-heading">Tags</h2></div>
<div class="body">${tags}</div>
</section>`;
  return consolePage({ title: c.name, region: c.region, account: c.account, crumbs: connectionCrumbs(c.region, [c.name]), body });
}

function hostFirstNotice(host: HostRecord): string {
  return `<div class="notice warning" role="note"><h3>Set up the host first</h3>This connection is installed on host <a href="${e(hostPath(host, host.prefix))}">${e(host.name)}</a>, which is ${e(STATUS_NAMES[host.status])}. A connection to a self-managed provider cannot be completed until its host is set up.</div>`;
}

/** How each provider's authorization screen looks (the part the console opens in a pop-up). */
interface ProviderScreen {
  site: string;
  heading: string;
  intro: string;
  permissions: string[];
  selectLabel: string;
  options: string[];
}

function providerScreen(c: ConnectionRecord, host: HostRecord | undefined): ProviderScreen {
  const githubPermissions = [
    "Read access to metadata",
    "Read and write access to code, commit statuses, issues and pull requests",
    "Read and write access to repository hooks",
  ];
  const installations = ["tether-demo (installation 31415926)", "Install a new app"];
  const endpoint = host?.providerEndpoint ?? "the self-managed provider";
  switch (c.providerType) {
    case "GitHub":
      return {
        site: "github.com",
        heading: "Authorize AWS Connector for GitHub",
        intro: "AWS Connector for GitHub by Amazon Web Services would like permission to:",
        permissions: githubPermissions,
        selectLabel: "GitHub App installation",
        options: installations,
      };
    case "GitHubEnterpriseServer":
      return {
        site: endpoint,
        heading: "Authorize AWS Connector for GitHub Enterprise Server",
        intro: `The GitHub App created for this host on ${endpoint} would like permission to:`,
        permissions: githubPermissions,
        selectLabel: "GitHub App installation",
        options: installations,
      };
    case "Bitbucket":
      return {
        site: "bitbucket.org",
        heading: "Grant access",
        intro: "AWS CodeStar is requesting access to the following in your Bitbucket workspace:",
        permissions: ["Read your account information", "Read and modify your repositories", "Read and modify your repositories' webhooks"],
        selectLabel: "Workspace",
        options: ["tether-demo", "tether-demo-sandbox"],
      };
    case "GitLab":
      return {
        site: "gitlab.com",
        heading: "Authorize AWS Connector for GitLab to use your account?",
        intro: "An application called AWS Connector for GitLab is requesting access to your GitLab account:",
        permissions: ["Access the authenticated user's API (api)", "Read the authenticated user's personal information (read_user)"],
        selectLabel: "Group",
        options: ["tether-demo", "tether-demo/platform"],
      };
    case "GitLabSelfManaged":
      return {
        site: endpoint,
        heading: "Authorize AWS Connector for GitLab self-managed",
        intro: `An application called AWS Connector is requesting access to your account on ${endpoint}:`,
        permissions: ["Access the authenticated user's API (api)", "Read the authenticated user's personal information (read_user)"],
        selectLabel: "Group",
        options: ["tether-demo", "tether-demo/platform"],
      };
    case "AzureDevOps":
      return {
        site: "dev.azure.com",
        heading: "Authorize AWS Connector for Azure DevOps",
        intro: "AWS Connector for Azure DevOps needs permission to access resources in your organization:",
        permissions: ["Code (read and status)", "Service hooks (read and write)", "User profile (read)"],
        selectLabel: "Organization",
        options: ["tether-demo", "tether-demo-legacy"],
      };
  }
}

/** "Update pending connection": the provider's authorization screen with Connect and Deny. */
export function connectionUpdatePage(v: ConnectionView): string {
  const c = v.connection;
  const self = connectionPath(c, v.svc);
  const crumbs = connectionCrumbs(c.region, [c.name, self]);
  crumbs.push(["Update pending connection"]);
  if (v.host && v.host.status !== "AVAILABLE") {
    return consolePage({ title: `Update ${c.name}`, region: c.region, account: c.account, crumbs, body: `<h1>Update pending connection</h1>\n${hostFirstNotice(v.host)}` });
  }
  const s = providerScreen(c, v.host);
  const body = `<h1>Update pending connection</h1>
<p class="note">Connection <strong>${e(c.name)}</strong> (${e(PROVIDER_NAMES[c.providerType])}). The emulator stands in for the provider's authorization pop-up below.</p>
<section class="provider" aria-labelledby="provider-heading">
<div class="site">${e(s.site)} (emulated)</div>
<div class="content">
<h2 id="provider-heading">${e(s.heading)}</h2>
<p>${e(s.intro)}</p>
<ul>${s.permissions.map((p) => `<li>${e(p)}</li>`).join("")}</ul>
<form method="post" action="${e(`${self}/update`)}">
<label for="installation">${e(s.selectLabel)}</label>
<select id="installation" name="installation">${s.options.map((o) => `<option>${e(o)}</option>`).join("")}</select>
<div class="actions">
<button type="submit" class="btn connect" name="outcome" value="complete">Connect</button>
<button type="submit" class="btn danger" name="outcome" value="deny" formnovalidate>Deny</button>
</div>
</form>
</div>
</section>`;
  return consolePage({ title: `Update ${c.name}`, region: c.region, account: c.account, crumbs, body });
}

export interface HostView {
  host: HostRecord;
  svc: ArnPrefix;
  /** Connections installed on the host. */
  connections: ConnectionRecord[];
  flash?: Flash;
}

export function hostDetailsPage(v: HostView): string {
  const h = v.host;
  const self = hostPath(h, v.svc);
  let notice = "";
  let action = "";
  if (h.status === "PENDING") {
    notice = `<div class="notice"><h3>This host is pending</h3>Choose <strong>Set up host</strong> to install the AWS connector app on ${e(h.providerEndpoint)}.${
      h.statusMessage ? ` <br>${e(h.statusMessage)}` : ""
    }</div>`;
    action = navButton(`${self}/setup`, "Set up host");
  }
  const vpc = h.vpcConfiguration
    ? `${e(h.vpcConfiguration.VpcId)} (subnets ${e(h.vpcConfiguration.SubnetIds.join(", "))}; security groups ${e(h.vpcConfiguration.SecurityGroupIds.join(", "))})`
    : "-";
  const rows = v.connections
    .map(
      (c) =>
        `<tr><td><a href="${e(connectionPath(c, c.prefix))}">${e(c.name)}</a></td><td>${status(c.status)}</td><td class="arn">${e(connectionArn(c))}</td></tr>`,
    )
    .join("");
  const connections = rows
    ? `<table><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">ARN</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="note">No connections use this host.</p>`;
  const body = `${flashBox(v.flash)}<h1>${e(h.name)}</h1>
${notice}
<section class="panel" aria-labelledby="details-heading">
<div class="head"><h2 id="details-heading">Host settings</h2><div>${action}</div></div>
<div class="body"><dl class="details">
<div><dt>Host name</dt><dd>${e(h.name)}</dd></div>
<div><dt>Status</dt><dd>${status(h.status)}</dd></div>
<div><dt>Provider</dt><dd>${e(PROVIDER_NAMES[h.providerType])}</dd></div>
<div><dt>Provider endpoint</dt><dd>${e(h.providerEndpoint)}</dd></div>
<div><dt>ARN</dt><dd>${e(hostArn(h))}</dd></div>
<div><dt>VPC</dt><dd>${vpc}</dd></div>
${h.statusMessage ? `<div><dt>Status message</dt><dd>${e(h.statusMessage)}</dd></div>` : ""}
</dl></div>
</section>
<section class="panel" aria-labelledby="connections-heading">
<div class="head"><h2 id="connections-heading">Connections</h2></div>
<div class="body">${connections}</div>
</section>`;
  return consolePage({ title: h.name, region: h.region, account: h.account, crumbs: hostCrumbs(h.region, [h.name]), body });
}

/** "Set up host": GitLab self-managed asks for a personal access token, GHES creates a GitHub App. */
export function hostSetupPage(v: HostView & { error?: string; appName?: string }): string {
  const h = v.host;
  const self = hostPath(h, v.svc);
  const crumbs = hostCrumbs(h.region, [h.name, self]);
  crumbs.push(["Set up host"]);
  const error = v.error ? `<p class="field-error" role="alert">${e(v.error)}</p>` : "";
  const fields =
    h.providerType === "GitLabSelfManaged"
      ? `<p>Provide a personal access token with the <code>api</code> and <code>admin_mode</code> scopes for ${e(h.providerEndpoint)}. AWS uses it once to create the connector application; it is not stored.</p>
<label for="personalAccessToken">Personal access token</label>
<input id="personalAccessToken" name="personalAccessToken" type="password" autocomplete="off" required${v.error ? ' aria-invalid="true"' : ""}>
${error}`
      : `<h3>Create GitHub App</h3>
<p>AWS creates a GitHub App on ${e(h.providerEndpoint)} and installs it for this host.</p>
<label for="appName">GitHub App name</label>
<input id="appName" name="appName" type="text" required value="${e(v.appName ?? defaultAppName(h))}"${v.error ? ' aria-invalid="true"' : ""}>
${error}`;
  const body = `<h1>Set up host</h1>
<p class="note">Host <strong>${e(h.name)}</strong> (${e(PROVIDER_NAMES[h.providerType])}, ${e(h.providerEndpoint)}).</p>
<section class="panel" aria-labelledby="setup-heading">
<div class="head"><h2 id="setup-heading">${e(PROVIDER_NAMES[h.providerType])} host setup</h2></div>
<div class="body">
<form method="post" action="${e(`${self}/setup`)}">
${fields}
<div class="actions">
<button type="submit" class="btn primary" name="outcome" value="complete">Complete setup</button>
<button type="submit" class="btn" name="outcome" value="deny" formnovalidate>Cancel</button>
</div>
</form>
</div>
</section>`;
  return consolePage({ title: `Set up ${h.name}`, region: h.region, account: h.account, crumbs, body });
}

export function defaultAppName(h: HostRecord): string {
  return `aws-connector-${h.name}`.slice(0, 34);
}

const ACCOUNTS_NOTE =
  "The real console lists the connections of the one account you are signed in to; the emulator has no sign-in, so this list shows every account of the fixture.";

const GLOBAL_NOTE =
  "Connections are global resources: every Region's list shows the connections of every Region, each under its home Region (the Region in its ARN, where it was created). Hosts are regional.";

function tabs(consoleRegion: string, listRegion: string, current: "connections" | "hosts"): string {
  const link = (href: string, label: string, on: boolean) => `<a href="${e(href)}"${on ? ' aria-current="page"' : ""}>${e(label)}</a>`;
  return `<nav class="tabs" aria-label="Settings">${link(connectionsListPath(listRegion, consoleRegion), "Connections", current === "connections")}${link(
    hostsListPath(listRegion, consoleRegion),
    "Hosts",
    current === "hosts",
  )}</nav>`;
}

/**
 * Every connection given, of every home Region (connections are global, so the list is the same
 * whichever Region is selected); `region` is the selected Region (tabs, breadcrumb).
 */
export function connectionsListPage(opts: { consoleRegion: string; region: string; connections: ConnectionRecord[] }): string {
  const rows = opts.connections
    .map(
      (c) =>
        `<tr><td><a href="${e(connectionPath(c, c.prefix))}">${e(c.name)}</a></td><td>${e(c.account)}</td><td>${e(c.region)}</td><td>${e(PROVIDER_NAMES[c.providerType])}</td><td>${status(c.status)}</td><td class="arn">${e(connectionArn(c))}</td></tr>`,
    )
    .join("\n");
  const table = rows
    ? `<table><thead><tr><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Home Region</th><th scope="col">Provider</th><th scope="col">Status</th><th scope="col">ARN</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : `<p>No connections.</p>`;
  const body = `<h1>Connections</h1>
${tabs(opts.consoleRegion, opts.region, "connections")}
<p class="note">${e(GLOBAL_NOTE)}</p>
<p class="note">${e(ACCOUNTS_NOTE)}</p>
<section class="panel" aria-labelledby="list-heading">
<div class="head"><h2 id="list-heading">Connections (${opts.connections.length}) in every Region</h2></div>
<div class="body">${table}</div>
</section>`;
  return consolePage({ title: "Connections", region: opts.region, crumbs: connectionCrumbs(opts.region), body });
}

export function hostsListPage(opts: { consoleRegion: string; region: string; hosts: HostRecord[] }): string {
  const rows = opts.hosts
    .map(
      (h) =>
        `<tr><td><a href="${e(hostPath(h, h.prefix))}">${e(h.name)}</a></td><td>${e(h.account)}</td><td>${e(PROVIDER_NAMES[h.providerType])}</td><td>${e(h.providerEndpoint)}</td><td>${status(h.status)}</td></tr>`,
    )
    .join("\n");
  const table = rows
    ? `<table><thead><tr><th scope="col">Host name</th><th scope="col">Account</th><th scope="col">Provider</th><th scope="col">Provider endpoint</th><th scope="col">Status</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : `<p>No hosts in ${e(opts.region)}.</p>`;
  const body = `<h1>Hosts</h1>
${tabs(opts.consoleRegion, opts.region, "hosts")}
<p class="note">${e(ACCOUNTS_NOTE.replace("connections", "hosts"))}</p>
<section class="panel" aria-labelledby="list-heading">
<div class="head"><h2 id="list-heading">Hosts (${opts.hosts.length}) in ${e(opts.region)}</h2></div>
<div class="body">${table}</div>
</section>`;
  return consolePage({ title: "Hosts", region: opts.region, crumbs: hostCrumbs(opts.region), body });
}

/** 404 / 405 / 409 / 400 pages in the console frame (breadcrumb: Settings › Connections unless given). */
export function messagePage(opts: {
  region: string;
  title: string;
  message: string;
  links?: [string, string][];
  crumbs?: [string, string?][];
}): string {
  const links = (opts.links ?? []).map(([label, href]) => `<li><a href="${e(href)}">${e(label)}</a></li>`).join("");
  const body = `<h1>${e(opts.title)}</h1>
<div class="panel"><div class="body"><p>${e(opts.message)}</p>${links ? `<ul>${links}</ul>` : ""}</div></div>`;
  const crumbs = opts.crumbs ?? connectionCrumbs(opts.region, [opts.title]);
  return consolePage({ title: opts.title, region: opts.region, crumbs, body });
}
