// The action: the same engine as the CLI, with GitHub's ways of showing results — outputs, a
// job summary, annotations, a pull request comment and deployments. Everything it touches comes
// in through `ActionDeps`; `setFailed` is called in one place.
import { registry } from '../wiring/registry.ts';
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { dispatch, ignore, type Emit, type EventHandlers } from '../engine/events.ts';
import { dryRun } from '../engine/dry-run.ts';
import { resolveParameters } from '../engine/parameters.ts';
import { plan, type StepGraph } from '../engine/plan.ts';
import { runLocal } from '../runs/local.ts';
import { secretForms } from '../engine/mask.ts';
import { loadProject, type Project } from '../project/load.ts';
import { projectSecrets } from '../documents/values/secrets.ts';
import { findWorkflowIn } from '../project/workflows.ts';
import { linesRenderer } from '../render/lines.ts';
import { isVerbose } from '../render/renderer.ts';
import { openProjectStore } from '../wiring/store.ts';
import { changeOf } from '../risk/change/index.ts';
import { pullConflicts } from '../risk/conflicts/github.ts';
import { conflictMarkdown } from '../risk/conflicts/markdown.ts';
import { riskMarkdown } from '../risk/markdown.ts';
import type { ConflictReport } from '../risk/types.ts';
import type { ChangeSummary, RiskAssessment } from '../store/risk.ts';
import { assessBeforeRun } from '../runs/risk.ts';
import { manifestId } from '../plugins/manifest.ts';
import { failureOf } from './failure.ts';
import { annotate, fromDiagnostic, fromFinding, fromProblem, type Annotation } from './annotations.ts';
import type { ActionCore } from './core.ts';
import { commentMarker, upsertComment } from './github/comment.ts';
import { readContext } from './github/context.ts';
import { deploymentTracker } from './github/deployments.ts';
import type { GitHubPort } from './github/port.ts';
import { InputError, readInputs, type ActionInputs } from './inputs.ts';
import { checkoutOf } from './paths.ts';
import { refProblem } from '../project/changed.ts';
import { changedMatrix } from '../project/changed-matrix.ts';
import { collector, worst, type PluginReport } from './report.ts';
import { diagnosticsSection, omittedNote, planSection, runSection, summaryTitle } from './summary.ts';

export interface ActionDeps {
  core: ActionCore;
  env: Record<string, string | undefined>;
  cwd: string;
  signal: AbortSignal;
  /** Builds the GitHub port once a token and repository are known. */
  github: (o: { token: string; owner: string; repo: string; baseUrl: string }) => GitHubPort | Promise<GitHubPort>;
}

export async function runAction(deps: ActionDeps): Promise<void> {
  const { core } = deps;
  let failure: string | undefined;
  const annotations: Annotation[] = [];
  let summary = summaryTitle;
  try {
    const inputs = readInputs((n) => core.input(n), deps.cwd);
    if (inputs.token) for (const f of secretForms(inputs.token)) core.setSecret(f);
    const project = await loadProject(deps.cwd, inputs.config);
    if (inputs.changedBase) {
      const problem = refProblem(inputs.changedBase);
      if (problem) throw new InputError(`input \`changed-base\` ${problem}`);
      const { plugins, matrix } = await changedMatrix(project, deps.cwd, inputs.changedBase, 'HEAD', deps.signal);
      core.setOutput('matrix', JSON.stringify(matrix));
      summary += `### Plugins changed since \`${inputs.changedBase}\`\n\n${plugins.map((p) => `- \`${p.path}\` ${p.id} ${p.version}: ${p.reason}`).join('\n') || 'none'}\n`;
      await core.writeSummary(summary);
      return;
    }
    const secrets = projectSecrets(project.config, deps.env, inputs.token ? [inputs.token] : []);
    for (const s of secrets) for (const f of secretForms(s)) core.setSecret(f);
    const { runnable, set } = await findWorkflowIn(project, deps.cwd, inputs.workflow, registry);
    const graph = plan(runnable.doc, registry.steps);
    const params = { ...inputs.params, ...(inputs.failOn && 'failOn' in graph.parameters ? { failOn: inputs.failOn } : {}) };
    const plugins: Array<string | undefined> = inputs.plugins.length ? inputs.plugins : [undefined];

    if (inputs.dryRun) {
      const resolved = resolveParameters(graph.parameters, params);
      const gh = await connect(deps, inputs);
      const risks = await plannedRisks(deps, gh.context, project, graph, plugins);
      plugins.forEach((p, i) => {
        summary += planSection(graph.id, p, dryRun(graph, resolved)) + '\n' + (risks[i] ? riskMarkdown(risks[i], p) + '\n' : '');
      });
      const conflicts = await conflictCheck(deps, gh, inputs, plugins);
      if (conflicts) summary += conflictMarkdown(conflicts) + '\n';
      setOutputs(core, risks.map((risk, i) => ({ ...planned(graph, plugins[i]), ...(risk ? { risk } : {}) })), 'planned');
      core.setOutput('conflict-level', conflicts ? (conflicts.skipped ? 'skipped' : conflicts.level) : '');
    } else {
      const gh = await connect(deps, inputs);
      const reports = await deliver(deps, gh, inputs, project, graph, params, plugins, set, secrets);
      for (const r of reports) {
        summary += runSection(r) + '\n' + (r.risk ? riskMarkdown(r.risk, r.plugin) + '\n' : '');
        annotations.push(...r.problems.map(fromProblem), ...r.findings.map(fromFinding));
      }
      const conflicts = await conflictCheck(deps, gh, inputs, plugins);
      if (conflicts) summary += conflictMarkdown(conflicts) + '\n';
      const status = worst(reports.map((r) => r.status));
      setOutputs(core, reports, status);
      core.setOutput('conflict-level', conflicts ? (conflicts.skipped ? 'skipped' : conflicts.level) : '');
      await comment(deps, gh, inputs, reports, conflicts);
      if (status !== 'success') failure = reports.filter((r) => r.status !== 'success').map((r) => `${r.workflow}${r.plugin ? ` on ${r.plugin}` : ''}: ${r.status}${failedStep(r)}`).join('; ');
    }
  } catch (e) {
    const failed = failureOf(e);
    if (failed.diagnostics.length) { summary += diagnosticsSection(failed.diagnostics); annotations.push(...failed.diagnostics.map((d) => fromDiagnostic(d, checkoutOf(deps.env, deps.cwd), deps.cwd))); }
    failure = failed.message;
    core.setOutput('status', failed.status);
  }
  const omitted = annotate(core, annotations);
  summary += omittedNote(omitted);
  await core.writeSummary(summary).catch((e: Error) => core.warning(`could not write the job summary: ${e.message}`));
  if (failure) core.setFailed(failure);
}

const failedStep = (r: PluginReport) => {
  const s = r.steps.find((x) => x.status === 'failed' || x.status === 'timed_out');
  return s ? ` at ${s.id}${s.error ? ` (${s.error})` : ''}` : '';
};

/** The run's GitHub context, read once, and the port when a token and repository are known. */
interface Connection { context: ReturnType<typeof readContext>; github?: GitHubPort }

async function connect(deps: ActionDeps, inputs: ActionInputs): Promise<Connection> {
  const context = readContext(deps.env, (p) => readFileSync(p, 'utf8'));
  const github = inputs.token && context.owner && context.repo
    ? await deps.github({ token: inputs.token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl }) : undefined;
  return { context, github };
}

async function deliver(
  deps: ActionDeps, { context, github }: Connection, inputs: ActionInputs, project: Project, graph: StepGraph, params: Record<string, unknown>,
  plugins: Array<string | undefined>, set: Awaited<ReturnType<typeof findWorkflowIn>>['set'], secrets: string[],
): Promise<PluginReport[]> {
  const opened = await openProjectStore({ cwd: deps.cwd, env: deps.env }, project, undefined, 'action');
  const store = opened.store;
  const deploys = graph.steps.some((s) => s.kind === 'plugin/deploy');
  if (inputs.environment && deploys && !github) deps.core.warning('environment is set but there is no github-token (or repository): no GitHub Deployment is recorded; the run goes on');
  const reports: PluginReport[] = [];
  try {
    for (const plugin of plugins) {
      const collect = collector(graph, plugin, { workspace: checkoutOf(deps.env, deps.cwd), runRoot: project.root, plugin: plugin ? resolve(deps.cwd, plugin) : undefined });
      const log = { write: (t: string) => deps.core.info(t.replace(/\n$/, '')) };
      const lines = linesRenderer({ out: log, err: log, verbose: isVerbose(false, deps.env) });
      const ref = context.headSha ?? context.sha;
      const tracker = github && inputs.environment && deploys && ref
        ? deploymentTracker(github, { ref, environment: inputs.environment, log: (m) => deps.core.warning(m), logUrl: context.runUrl }) : undefined;
      const pending: Array<Promise<void>> = [];
      // The GitHub Deployment starts with the deploy step's first attempt; the other kinds do not touch it.
      const deployHandlers = {
        'step.started': (e) => {
          if (tracker && e.attempt === 1 && graph.byId.get(e.step)?.kind === 'plugin/deploy') {
            pending.push(tracker.started(`${graph.id}${plugin ? ` ${plugin}` : ''}`));
          }
        },
        'execution.started': ignore, 'step.log': ignore, 'step.artifact': ignore, 'step.retrying': ignore, 'step.finished': ignore,
        'step.skipped': ignore, 'step.kept': ignore, 'step.waiting': ignore, 'execution.finished': ignore,
      } satisfies EventHandlers<void>;
      const onDeploy: Emit = (e) => dispatch(deployHandlers, e);
      const change = plugin ? await changeSince(deps, context, plugin) : undefined;
      const { result, risk } = await runLocal({
        graph, params, plugin, project, documents: set, store, cwd: deps.cwd, env: deps.env, signal: deps.signal,
        listeners: [collect.emit, lines.emit, onDeploy], secrets, ...(change ? { change } : {}),
      });
      const report = { ...collect.report(), ...(risk ? { risk } : {}) };
      await Promise.all(pending);
      if (tracker && report.deploy) {
        await tracker.finished(result.status === 'success', `${report.deploy.version}: ${result.status}`);
        if (report.rollback?.status === 'success') await tracker.rolledBack(`rolled back to ${report.rollback.version ?? 'the previous release'}`);
      }
      reports.push(report);
    }
  } finally {
    await opened.close();
  }
  return reports;
}

/**
 * The plugin's change since the pull request's base, for its risk. A checkout without the base
 * (a shallow clone) or any other git failure is a warning: the risk is scored from history alone.
 */
async function changeSince(deps: ActionDeps, context: Connection['context'], plugin: string): Promise<ChangeSummary | undefined> {
  if (!context.baseSha) return undefined;
  try {
    return await changeOf({ cwd: deps.cwd, base: context.baseSha, plugin: resolve(deps.cwd, plugin), signal: deps.signal });
  } catch (e) {
    deps.core.warning(`risk: the change of ${plugin} since the pull request's base could not be read, so the risk is scored from history alone: ${(e as Error).message}`);
    return undefined;
  }
}

/** The risk each plugin's run would start with: what a dry run shows beside its plan. */
async function plannedRisks(deps: ActionDeps, context: Connection['context'], project: Project, graph: StepGraph, plugins: Array<string | undefined>): Promise<Array<RiskAssessment | undefined>> {
  const opened = await openProjectStore({ cwd: deps.cwd, env: deps.env }, project, undefined, 'action');
  try {
    const out: Array<RiskAssessment | undefined> = [];
    for (const plugin of plugins) {
      const change = plugin ? await changeSince(deps, context, plugin) : undefined;
      const pluginId = plugin ? await manifestId(resolve(deps.cwd, plugin), deps.cwd) : undefined;
      const assessed = await assessBeforeRun({ store: opened.store, graph, config: project.config, now: Date.now(), ...(pluginId ? { pluginId } : {}), ...(change ? { change } : {}) });
      out.push(assessed?.risk);
    }
    return out;
  } finally {
    await opened.close();
  }
}

/** A plugin's report before anything ran: what the outputs of a dry run read. */
const planned = (graph: StepGraph, plugin: string | undefined): PluginReport => ({
  workflow: graph.id, ...(plugin ? { plugin } : {}), executionId: '', status: 'planned', steps: [], problems: [], findings: [],
});

/** On a pull request with a token, the other open pull requests that touch the same plugin files; never fails the run. */
async function conflictCheck(deps: ActionDeps, { context, github }: Connection, inputs: ActionInputs, plugins: Array<string | undefined>): Promise<ConflictReport | undefined> {
  const onPullRequest = context.eventName === 'pull_request' || context.eventName === 'pull_request_target';
  if (!inputs.conflicts || !onPullRequest || context.issueNumber === undefined) return undefined;
  if (!github) return { source: 'github', level: 'none', compared: 0, overlaps: [], skipped: 'there is no github-token' };
  const checkout = checkoutOf(deps.env, deps.cwd);
  const paths = plugins.flatMap((p) => (p === undefined ? [] : [relative(checkout, resolve(deps.cwd, p)).split(sep).join('/')]))
    .map((p) => (p === '' ? '.' : p));
  const report = await pullConflicts(github, {
    number: context.issueNumber, ...(paths.length && !paths.includes('.') ? { paths } : {}), ...(context.baseRef ? { baseRef: context.baseRef } : {}),
  });
  if (report.skipped) deps.core.warning(`merge-conflict check skipped: ${report.skipped}`);
  return report;
}

const riskRank = { unknown: 0, low: 1, medium: 2, high: 3 } as const;

function setOutputs(core: ActionCore, reports: PluginReport[], status: string): void {
  const first = reports[0];
  const out = (id: string, key: string) => first?.steps.find((s) => s.id === id || s.kind === key)?.outputs ?? {};
  const build = out('', 'plugin/build');
  const scan = out('', 'plugin/security-scan');
  const validate = out('', 'plugin/validate');
  core.setOutput('status', status);
  core.setOutput('execution-id', first?.executionId ?? '');
  core.setOutput('version', build.version ?? validate.version ?? '');
  core.setOutput('artifact', build.archive ?? '');
  core.setOutput('sha256', build.sha256 ?? '');
  core.setOutput('sarif', scan.sarif ?? '');
  const levels = reports.flatMap((r) => (r.risk ? [r.risk.level] : []));
  core.setOutput('risk-level', levels.length ? levels.reduce((a, b) => (riskRank[b] > riskRank[a] ? b : a)) : '');
  core.setOutput('summary-json', JSON.stringify(reports.map((r) => ({
    workflow: r.workflow, plugin: r.plugin, executionId: r.executionId, status: r.status, durationMs: r.durationMs,
    steps: r.steps.map((s) => ({ id: s.id, status: s.status, durationMs: s.durationMs, attempts: s.attempts })),
    findings: r.findings.length, deploy: r.deploy, rollback: r.rollback,
    ...(r.risk ? { risk: { level: r.risk.level, score: r.risk.score, ...(r.risk.probability !== undefined ? { probability: r.risk.probability } : {}) } } : {}),
  }))));
}

async function comment(deps: ActionDeps, { context, github }: Connection, inputs: ActionInputs, reports: PluginReport[], conflicts?: ConflictReport): Promise<void> {
  const onPullRequest = context.eventName === 'pull_request' || context.eventName === 'pull_request_target';
  if (!inputs.comment || !onPullRequest || context.issueNumber === undefined) return;
  if (!github) { deps.core.warning('no github-token: the pull request comment is skipped; the run goes on'); return; }
  for (const r of reports) {
    try {
      const body = `## pluginops\n\n${runSection(r)}${r.risk ? `\n${riskMarkdown(r.risk, r.plugin)}` : ''}${conflicts ? `\n${conflictMarkdown(conflicts)}` : ''}`;
      await upsertComment(github, context.issueNumber, commentMarker(r.workflow, r.plugin ?? ''), `${body}${context.runUrl ? `\n[the run](${context.runUrl})\n` : ''}`);
    } catch (e) {
      deps.core.warning(`could not write the pull request comment: ${(e as Error).message}`);
    }
  }
}
