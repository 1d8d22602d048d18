import { connectionArn, parseResourceArn, pipelineArn } from "../arns";
import { escapeHtml as e } from "../html";
import type { ConnectionRecord } from "../model";
import { SOURCE_PROVIDER, type FilterCriteria, type PipelineTriggerDeclaration } from "../services/codepipeline/declaration";
import { currentDeclaration, currentVersion, updatedAt, type ExecutionRecord, type PipelineRecord } from "../services/codepipeline/records";
import { revisionSummary } from "../services/codepipeline/revisions";
import { viewExecution, type StageRun } from "../services/codepipeline/timing";
import { consolePage, PROVIDER_NAMES } from "./pages";
import { connectionPath, executionTimelinePath, pipelinesListPath, pipelineViewPath } from "./paths";

/**
 * The CodePipeline console pages: the pipeline list of a Region, one pipeline (details, source
 * action and its connection, triggers, stages, execution history) and one execution's timeline.
 * Every interpolated value goes through `e()`.
 */

const HISTORY_ROWS = 25;

const STATUS_LABEL: Record<string, string> = { Succeeded: "Succeeded", Failed: "Failed", InProgress: "In progress" };

export function pipelineCrumbs(region: string, last: [string, string?][] = []): [string, string?][] {
  const list = pipelinesListPath(region);
  return [["Developer Tools", list], ["CodePipeline", list], ["Pipelines", last.length ? list : undefined], ...last];
}

function statusBadge(status: string): string {
  return `<span class="status ${e(status)}">${e(STATUS_LABEL[status] ?? status)}</span>`;
}

/** `2026-11-25 21:47:33 UTC` */
export function formatTime(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function revisionCell(x: ExecutionRecord): string {
  const r = x.revision;
  if (!r) return `<span class="note">No source revision</span>`;
  return `<code>${e(r.sha.slice(0, 7))}</code> ${e(r.message)}`;
}

function triggerCell(x: ExecutionRecord): string {
  return `${e(x.trigger.triggerType)}<br><span class="note mono">${e(x.trigger.triggerDetail)}</span>`;
}

/** What the view needs to know of one source action's connection. */
export interface SourceView {
  stageName: string;
  actionName: string;
  connectionArn: string;
  repository: string;
  branch: string;
  detectChanges: string;
  outputArtifactFormat: string;
  /** The connection the ARN names, when it exists in that account and region. */
  connection?: ConnectionRecord;
}

export interface PipelineView {
  pipeline: PipelineRecord;
  now: Date;
  /** Started executions, newest first. */
  executions: ExecutionRecord[];
  sources: SourceView[];
  /** Every account that has a pipeline of this name in the Region (this one included). */
  accounts: string[];
}

export function pipelineViewPage(v: PipelineView): string {
  const p = v.pipeline;
  const d = currentDeclaration(p);
  const ambiguous = v.accounts.length > 1;
  const accountsNote = ambiguous
    ? `<div class="notice" role="note"><h3>Pipelines named ${e(p.name)} exist in ${v.accounts.length} accounts in ${e(p.region)}</h3>The real console shows the account you are signed in to; the emulator shows account ${e(p.account)}. Other accounts: ${v.accounts
        .filter((a) => a !== p.account)
        .map((a) => `<a href="${e(pipelineViewPath(p, a))}">${e(a)}</a>`)
        .join(", ")}.</div>`
    : "";

  const details = `<section class="panel" aria-labelledby="details-heading">
<div class="head"><h2 id="details-heading">Pipeline details</h2></div>
<div class="body"><dl class="details">
<div><dt>Name</dt><dd>${e(p.name)}</dd></div>
<div><dt>Account</dt><dd>${e(p.account)}</dd></div>
<div><dt>Region</dt><dd>${e(p.region)}</dd></div>
<div><dt>ARN</dt><dd>${e(pipelineArn(p))}</dd></div>
<div><dt>Pipeline type</dt><dd>${e(p.pipelineType)}</dd></div>
<div><dt>Execution mode</dt><dd>${e(p.executionMode)}</dd></div>
<div><dt>Version</dt><dd>${currentVersion(p)}</dd></div>
<div><dt>Created</dt><dd>${e(formatTime(p.created))}</dd></div>
<div><dt>Updated</dt><dd>${e(formatTime(updatedAt(p)))}</dd></div>
</dl></div>
</section>`;

  const sources = v.sources.map((s) => sourcePanel(s)).join("\n");
  const triggers = triggersPanel(p, d.triggers);

  const latestByStage = d.stages.map((_, index) => {
    for (const x of v.executions) {
      const run = viewExecution(x, v.now).stages.find((r) => r.stageIndex === index);
      if (run) return { x, run };
    }
    return undefined;
  });
  const stageRows = d.stages
    .flatMap((stage, index) =>
      stage.actions.map((action) => {
        const latest = latestByStage[index];
        const status = latest ? statusBadge(latest.run.status) : `<span class="status NotRun">Didn't run</span>`;
        const execution = latest
          ? `<a class="mono" href="${e(executionTimelinePath(p, latest.x.id))}">${e(latest.x.id.slice(0, 8))}</a>`
          : "-";
        return `<tr><td>${e(stage.name)}</td><td>${e(action.name)}</td><td>${e(action.actionTypeId.provider)}</td><td>${status}</td><td>${execution}</td></tr>`;
      }),
    )
    .join("\n");
  const stages = `<section class="panel" aria-labelledby="stages-heading">
<div class="head"><h2 id="stages-heading">Stages</h2></div>
<div class="body"><table><thead><tr><th scope="col">Stage</th><th scope="col">Action</th><th scope="col">Provider</th><th scope="col">Latest status</th><th scope="col">Execution</th></tr></thead><tbody>
${stageRows}
</tbody></table></div>
</section>`;

  const rows = v.executions
    .slice(0, HISTORY_ROWS)
    .map((x) => {
      const view = viewExecution(x, v.now);
      const ended = view.status === "InProgress" ? "-" : formatDuration(view.lastUpdateTime.getTime() - x.startTime.getTime());
      return `<tr><td><a class="mono" href="${e(executionTimelinePath(p, x.id))}">${e(x.id)}</a></td><td>${statusBadge(view.status)}</td><td>${triggerCell(x)}</td><td>${revisionCell(x)}</td><td>${e(formatTime(x.startTime))}</td><td>${e(ended)}</td></tr>`;
    })
    .join("\n");
  const history = `<section class="panel" aria-labelledby="history-heading">
<div class="head"><h2 id="history-heading">Execution history (${Math.min(v.executions.length, HISTORY_ROWS)} of ${v.executions.length})</h2></div>
<div class="body">${
    rows
      ? `<table><thead><tr><th scope="col">Execution ID</th><th scope="col">Status</th><th scope="col">Trigger</th><th scope="col">Source revision</th><th scope="col">Started</th><th scope="col">Duration</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
      : `<p class="note">No executions.</p>`
  }</div>
</section>`;

  const body = `<h1>${e(p.name)}</h1>
${accountsNote}
${details}
${sources}
${triggers}
${stages}
${history}`;
  return consolePage({ title: p.name, region: p.region, account: p.account, crumbs: pipelineCrumbs(p.region, [[p.name]]), body });
}

function sourcePanel(s: SourceView): string {
  const ref = parseResourceArn(s.connectionArn);
  const c = s.connection;
  let connection: string;
  if (c) {
    const written = ref && ref.kind === "connection" ? parseArnPrefix(s.connectionArn) : undefined;
    const stored = connectionArn(c);
    const prefixNote =
      written && written !== c.prefix
        ? `<p class="note">The pipeline writes the connection's ARN with the <code>${e(written)}</code> prefix; the connection's own ARN is <code>${e(stored)}</code> (same connection).</p>`
        : "";
    connection = `<a href="${e(connectionPath(c, written ?? c.prefix))}">${e(c.name)}</a> · <span class="status ${e(c.status)}">${e(
      c.status === "AVAILABLE" ? "Available" : c.status === "PENDING" ? "Pending" : "Error",
    )}</span> · ${e(PROVIDER_NAMES[c.providerType])}${prefixNote}`;
  } else {
    connection = `<span class="status ERROR">Not found</span> — no connection ${e(ref?.id ?? s.connectionArn)} exists in account ${e(
      ref?.account ?? "?",
    )} with home Region ${e(ref?.region ?? "?")} (deleted?)`;
  }
  return `<section class="panel" aria-labelledby="source-${e(s.actionName)}-heading">
<div class="head"><h2 id="source-${e(s.actionName)}-heading">Source: ${e(s.stageName)} › ${e(s.actionName)}</h2></div>
<div class="body"><dl class="details">
<div><dt>Provider</dt><dd>${e(SOURCE_PROVIDER)}</dd></div>
<div><dt>Connection</dt><dd>${connection}</dd></div>
<div><dt>Connection ARN</dt><dd>${e(s.connectionArn)}</dd></div>
<div><dt>Repository</dt><dd>${e(s.repository)}</dd></div>
<div><dt>Branch</dt><dd>${e(s.branch)}</dd></div>
<div><dt>Detect changes</dt><dd>${e(s.detectChanges)}</dd></div>
<div><dt>Output artifact format</dt><dd>${e(s.outputArtifactFormat)}</dd></div>
</dl></div>
</section>`;
}

function parseArnPrefix(arn: string): "codestar-connections" | "codeconnections" | undefined {
  const service = arn.split(":")[2];
  return service === "codestar-connections" || service === "codeconnections" ? service : undefined;
}

function criteria(label: string, c: FilterCriteria | undefined): string {
  if (!c) return "";
  const parts = [
    c.includes?.length ? `include ${c.includes.map((x) => `<code>${e(x)}</code>`).join(", ")}` : "",
    c.excludes?.length ? `exclude ${c.excludes.map((x) => `<code>${e(x)}</code>`).join(", ")}` : "",
  ].filter(Boolean);
  return `${e(label)}: ${parts.join("; ")}`;
}

function triggersPanel(p: PipelineRecord, triggers: PipelineTriggerDeclaration[] | undefined): string {
  let content: string;
  if (p.pipelineType === "V1") {
    content = `<p class="note">V1 pipelines have no triggers: a push to the source branch starts the pipeline when DetectChanges is true.</p>`;
  } else if (!triggers?.length) {
    content = `<p class="note">No triggers: default change detection (DetectChanges) applies.</p>`;
  } else {
    content = `<ul>${triggers
      .map((t) => {
        const g = t.gitConfiguration;
        const push = (g.push ?? []).map(
          (f) => `<li>Push — ${[criteria("branches", f.branches), criteria("file paths", f.filePaths), criteria("tags", f.tags)].filter(Boolean).join(" · ")}</li>`,
        );
        const pr = (g.pullRequest ?? []).map(
          (f) =>
            `<li>Pull request${f.events?.length ? ` (${e(f.events.join(", "))})` : ""} — ${[criteria("branches", f.branches), criteria("file paths", f.filePaths)]
              .filter(Boolean)
              .join(" · ")}</li>`,
        );
        return `<li>Source action <strong>${e(g.sourceActionName)}</strong><ul>${[...push, ...pr].join("") || "<li>No filters</li>"}</ul></li>`;
      })
      .join("")}</ul>`;
  }
  return `<section class="panel" aria-labelledby="triggers-heading">
<div class="head"><h2 id="triggers-heading">Triggers</h2></div>
<div class="body">${content}</div>
</section>`;
}

export interface TimelineView {
  pipeline: PipelineRecord;
  execution: ExecutionRecord;
  now: Date;
  /** Several accounts have a pipeline of this name: links back name the account. */
  ambiguous: boolean;
}

export function executionTimelinePage(v: TimelineView): string {
  const p = v.pipeline;
  const x = v.execution;
  const view = viewExecution(x, v.now);
  const declaration = p.versions[x.pipelineVersion - 1]?.declaration ?? currentDeclaration(p);
  const back = pipelineViewPath(p, v.ambiguous ? p.account : undefined);
  const runs = new Map<number, StageRun>(view.stages.map((s) => [s.stageIndex, s]));
  const rows = declaration.stages
    .flatMap((stage, index) =>
      stage.actions.map((action) => {
        const run = runs.get(index);
        if (!run) {
          return `<tr><td>${e(stage.name)}</td><td>${e(action.name)}</td><td><span class="status NotRun">Didn't run</span></td><td>-</td><td>-</td><td>-</td><td></td></tr>`;
        }
        const end = run.end ? formatTime(run.end) : "-";
        const duration = formatDuration((run.end ?? v.now).getTime() - run.start.getTime());
        const source = action.actionTypeId.provider === SOURCE_PROVIDER && x.revision;
        const detail =
          run.status === "Failed"
            ? `<span role="alert">${e(x.failureMessage ?? "The action failed.")}</span>`
            : source && x.revision
              ? `<code>${e(x.revision.sha)}</code>`
              : "";
        return `<tr><td>${e(stage.name)}</td><td>${e(action.name)}</td><td>${statusBadge(run.status)}</td><td>${e(formatTime(run.start))}</td><td>${e(end)}</td><td>${e(duration)}</td><td>${detail}</td></tr>`;
      }),
    )
    .join("\n");
  const revision = x.revision
    ? `<code>${e(x.revision.sha)}</code> — ${e(x.revision.message)} <span class="note mono">${e(revisionSummary(x.revision))}</span>`
    : "No source revision (the Source stage failed)";
  const body = `<h1>Execution ${e(x.id)}</h1>
<section class="panel" aria-labelledby="summary-heading">
<div class="head"><h2 id="summary-heading">Execution summary</h2></div>
<div class="body"><dl class="details">
<div><dt>Pipeline</dt><dd><a href="${e(back)}">${e(p.name)}</a></dd></div>
<div><dt>Account</dt><dd>${e(p.account)}</dd></div>
<div><dt>Status</dt><dd>${statusBadge(view.status)}</dd></div>
<div><dt>Trigger</dt><dd>${triggerCell(x)}</dd></div>
<div><dt>Started</dt><dd>${e(formatTime(x.startTime))}</dd></div>
<div><dt>${view.status === "InProgress" ? "Last updated" : "Completed"}</dt><dd>${e(formatTime(view.lastUpdateTime))}</dd></div>
<div><dt>Pipeline version</dt><dd>${x.pipelineVersion}</dd></div>
<div><dt>Execution mode</dt><dd>${e(x.executionMode)}</dd></div>
<div><dt>Source revision</dt><dd>${revision}</dd></div>
</dl></div>
</section>
<section class="panel" aria-labelledby="timeline-heading">
<div class="head"><h2 id="timeline-heading">Timeline</h2></div>
<div class="body"><table><thead><tr><th scope="col">Stage</th><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Ended</th><th scope="col">Duration</th><th scope="col">Details</th></tr></thead><tbody>
${rows}
</tbody></table></div>
</section>`;
  return consolePage({
    title: `Execution ${x.id.slice(0, 8)} of ${p.name}`,
    region: p.region,
    account: p.account,
    crumbs: pipelineCrumbs(p.region, [[p.name, back], ["Execution history", back], [x.id.slice(0, 8)]]),
    body,
  });
}

/** Several accounts have a pipeline of that name in the Region: pick one. */
export function accountChooserPage(opts: { region: string; name: string; pipelines: PipelineRecord[] }): string {
  const rows = opts.pipelines
    .map(
      (p) =>
        `<tr><td><a href="${e(pipelineViewPath(p, p.account))}">${e(p.account)}</a></td><td>${e(p.pipelineType)}</td><td>${e(formatTime(updatedAt(p)))}</td></tr>`,
    )
    .join("\n");
  const body = `<h1>${e(opts.name)}</h1>
<div class="notice" role="note"><h3>Choose an account</h3>Pipelines named ${e(opts.name)} exist in ${opts.pipelines.length} accounts in ${e(
    opts.region,
  )}. The real console shows the account you are signed in to; the emulator has no sign-in.</div>
<section class="panel" aria-labelledby="accounts-heading">
<div class="head"><h2 id="accounts-heading">Accounts</h2></div>
<div class="body"><table><thead><tr><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Updated</th></tr></thead><tbody>
${rows}
</tbody></table></div>
</section>`;
  return consolePage({ title: opts.name, region: opts.region, crumbs: pipelineCrumbs(opts.region, [[opts.name]]), body });
}

export function pipelinesListPage(opts: {
  consoleRegion: string;
  region: string;
  pipelines: PipelineRecord[];
  now: Date;
  ambiguousNames: Set<string>;
}): string {
  const rows = opts.pipelines
    .map((p) => {
      const latest = p.executions.filter((x) => x.startTime.getTime() <= opts.now.getTime()).at(-1);
      const status = latest ? statusBadge(viewExecution(latest, opts.now).status) : "-";
      const href = pipelineViewPath(p, opts.ambiguousNames.has(p.name) ? p.account : undefined);
      return `<tr><td><a href="${e(href)}">${e(p.name)}</a></td><td>${e(p.account)}</td><td>${e(p.pipelineType)}</td><td>${status}</td><td>${latest ? e(formatTime(latest.startTime)) : "-"}</td></tr>`;
    })
    .join("\n");
  const table = rows
    ? `<table><thead><tr><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Most recent execution</th><th scope="col">Started</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : `<p>No pipelines in ${e(opts.region)}.</p>`;
  const body = `<h1>Pipelines</h1>
<p class="note">The real console lists the pipelines of the one account you are signed in to; the emulator has no sign-in, so this list shows every account of the fixture.</p>
<section class="panel" aria-labelledby="list-heading">
<div class="head"><h2 id="list-heading">Pipelines (${opts.pipelines.length}) in ${e(opts.region)}</h2></div>
<div class="body">${table}</div>
</section>`;
  return consolePage({ title: "Pipelines", region: opts.region, crumbs: pipelineCrumbs(opts.region), body });
}
