// `uses: plugin/security-scan` — rule-based scan of a plugin's source (dangerous calls, hard-coded
// secrets), merged with bandit / semgrep when they are installed. Writes SARIF; outputs the counts
// and the findings; records the SARIF as an artifact; fails when a finding meets `failOn`.
import { Type, type Static } from '@sinclair/typebox';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { formatDiagnostic } from '../../documents/diagnostics.ts';
import { StringEnum } from '../../documents/schema/common.ts';
import { loadManifest } from '../../plugins/manifest.ts';
import { RuleFileError } from '../../plugins/scan/rule-file.ts';
import { loadRuleSet, type RuleSet } from '../../plugins/scan/rule-set.ts';
import { sarifText } from '../../plugins/scan/sarif.ts';
import { scanPlugin } from '../../plugins/scan/scan.ts';
import { suppressionRule } from '../../plugins/scan/suppression.ts';
import { meets, severities, type FailOn } from '../../plugins/scan/severity.ts';
import { insideRoot } from '../../store/paths.ts';
import { pluginRoot } from '../plugin/common.ts';
import { locate } from '../../engine/process/shell.ts';
import { StepFailure, defineStep, type StepContext } from '../../engine/step.ts';
import { countBySeverity, failureMessage, findingLine, reportJson } from './report.ts';

export const SecurityScanInputs = Type.Object({
  path: Type.Optional(Type.String({ description: 'The plugin directory, relative to the workspace (default: the run\'s --plugin).' })),
  failOn: Type.Optional(StringEnum([...severities, 'none'] as const, 'Fail when a finding is at least this severe (default: the project\'s `security.failOn`, else high); `none` never fails.')),
  rules: Type.Optional(Type.Array(Type.String(), { description: 'Extra rule files, relative to the project root; added after the project\'s.' })),
  disable: Type.Optional(Type.Array(Type.String(), { description: 'Rule ids to turn off, besides the project\'s.' })),
  exclude: Type.Optional(Type.Array(Type.String(), { description: 'Glob patterns of files and directories to leave out.' })),
  sarif: Type.Optional(Type.String({ description: 'Where the SARIF log goes, relative to the workspace (default: .pluginops/reports/<plugin>.sarif).' })),
  semgrepConfig: Type.Optional(Type.String({ description: 'A local semgrep config, relative to the project root; semgrep runs only with one.' })),
}, { additionalProperties: false });

type Ctx = StepContext<Static<typeof SecurityScanInputs>>;

export const securityScanStep = defineStep({
  description: 'Scans a plugin\'s source for dangerous calls and hard-coded secrets, and writes SARIF.',
  inputs: SecurityScanInputs,
  async handler(ctx) {
    const root = pluginRoot(ctx);
    if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new StepFailure(`the plugin directory ${root} does not exist`);
    const security = ctx.scope.project.config.security ?? {};
    const failOn: FailOn = ctx.inputs.failOn ?? security.failOn ?? 'high';
    const rules = await rulesFor(ctx);
    const projectPath = (p: string) => resolve(ctx.scope.project.root, p);

    const scan = await scanPlugin({
      root, rules: rules.rules, exclude: ctx.inputs.exclude ?? [], signal: ctx.signal, log: ctx.log,
      external: {
        spawn: ctx.edges.spawn, env: { ...ctx.env }, killGraceMs: ctx.edges.killGraceMs, signal: ctx.signal,
        which: (program) => { const found = locate(program, ctx.env.PATH); return isAbsolute(found) ? found : undefined; },
        ...(ctx.inputs.semgrepConfig ? { semgrepConfig: projectPath(ctx.inputs.semgrepConfig) } : {}),
      },
    });

    const sarif = ctx.inputs.sarif ? resolve(ctx.workspace, ctx.inputs.sarif) : insideRoot(ctx.workspace, '.pluginops', 'reports', `${await pluginName(root)}.sarif`);
    await mkdir(dirname(sarif), { recursive: true });
    const text = sarifText(scan, { uriPrefix: inside(ctx.workspace, root) });
    await writeFile(sarif, text);
    ctx.addArtifact({ name: basename(sarif), path: sarif, size: Buffer.byteLength(text) });

    for (const f of scan.findings) ctx.log(findingLine(f), meets(f.severity, failOn) ? 'error' : 'warn');
    for (const f of scan.suppressed) ctx.log(`suppressed ${findingLine(f)} -- ${f.justification}`, 'info');
    for (const s of scan.skipped) ctx.log(`skipped ${s.file}: ${s.reason}`, 'debug');
    const counts = countBySeverity(scan.findings);
    ctx.log(`scanned ${scan.files} file${scan.files === 1 ? '' : 's'} with ${rules.rules.length} rules: ${scan.findings.length} finding${scan.findings.length === 1 ? '' : 's'} `
      + `(${[...severities].reverse().map((s) => `${counts[s]} ${s}`).join(', ')}), ${scan.suppressed.length} suppressed; SARIF in ${sarif}`);

    ctx.setOutput('findings', String(scan.findings.length));
    for (const s of severities) ctx.setOutput(s, String(counts[s]));
    ctx.setOutput('suppressed', String(scan.suppressed.length));
    ctx.setOutput('sarif', sarif);
    ctx.setOutput('report', reportJson(scan.findings));

    const failure = failureMessage(scan.findings, failOn);
    if (failure) throw new StepFailure(failure);
  },
});

/** The defaults, the project's rule files, then the step's; disabled ids from both. */
async function rulesFor(ctx: Ctx): Promise<RuleSet> {
  const security = ctx.scope.project.config.security ?? {};
  const files = [...(security.rules ?? []), ...(ctx.inputs.rules ?? [])].map((f) => resolve(ctx.scope.project.root, f));
  try {
    const set = await loadRuleSet({ files, disable: [...(security.disable ?? []), ...(ctx.inputs.disable ?? [])], display: (p) => relative(ctx.workspace, p) || p });
    for (const id of set.unknownDisabled) {
      ctx.log(id === suppressionRule.id ? `\`${id}\` is built in and cannot be disabled` : `disable names \`${id}\`, which no rule has`, 'warn');
    }
    return set;
  } catch (e) {
    if (!(e instanceof RuleFileError)) throw e;
    for (const d of e.diagnostics) ctx.log(formatDiagnostic(d), 'error');
    throw new StepFailure(`the security rules are invalid: ${e.diagnostics.map(formatDiagnostic).join('; ')}`);
  }
}

/** The manifest's id, else the directory's name: names the default SARIF file. */
async function pluginName(root: string): Promise<string> {
  const loaded = await loadManifest(root, root).catch(() => undefined);
  return loaded?.manifest?.id ?? (basename(root) || 'plugin');
}

/** `root` relative to `base` with `/` separators, when it lies inside it. */
function inside(base: string, root: string): string | undefined {
  const rel = relative(base, root);
  return !rel || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}
