// Every error class of pluginops is a PluginopsError with a stable code and a kind, and each edge
// answers every kind: the CLI with an exit code, the API with a status, the Action with a failed
// job. The rows pin what each error ends in today, so a kind changed by mistake shows here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { failureOf, statusOf } from '../../src/action/failure.ts';
import { GitHubError } from '../../src/action/github/port.ts';
import { InputError } from '../../src/action/inputs.ts';
import { ReplayCacheFullError } from '../../src/runs/approvals/replay-cache.ts';
import { CliError, exitCodeOf, exitCodes } from '../../src/cli/errors.ts';
import { InvalidDocumentsError, type Diagnostic } from '../../src/documents/diagnostics.ts';
import { DurationError } from '../../src/documents/duration.ts';
import { AbortedError } from '../../src/engine/clock.ts';
import { ParameterError } from '../../src/engine/parameters.ts';
import { UnknownStepTypeError } from '../../src/engine/plan.ts';
import { SpawnError } from '../../src/engine/process/spawn.ts';
import { PluginopsError } from '../../src/errors/base.ts';
import { errorKinds, type ErrorKind } from '../../src/errors/kinds.ts';
import { ExpressionSyntaxError } from '../../src/expressions/evaluate.ts';
import { TemplateError } from '../../src/expressions/template.ts';
import { JournalError } from '../../src/journal/types.ts';
import { MaintenanceWindowError } from '../../src/monitor/alerts/maintenance.ts';
import { CadenceError, MonitorConfigError } from '../../src/monitor/runtime/config.ts';
import { UnknownMonitorIdError } from '../../src/monitor/runtime/monitor.ts';
import { StateFileError } from '../../src/monitor/runtime/state.ts';
import { ControlsError } from '../../src/monitor/controls/apply.ts';
import { ControlsFileError } from '../../src/monitor/controls/file.ts';
import { RuleCompileError } from '../../src/monitor/rules/compile.ts';
import { FixtureError } from '../../src/monitor/rules/fixture.ts';
import { ScheduleError } from '../../src/monitor/schedule/cadence.ts';
import { Malformed } from '../../src/monitor/sources/envelope.ts';
import { DuplicatePluginError } from '../../src/monitor/sources/plugins.ts';
import { NotANumber } from '../../src/monitor/sources/prometheus.ts';
import { ChannelConfigError } from '../../src/notify/channels/types.ts';
import { BackupError } from '../../src/backup/errors.ts';
import { DatabaseError } from '../../src/pg/errors.ts';
import { ArchiveError, BuildError, ExtractError } from '../../src/plugins/archive/errors.ts';
import { ReleaseError } from '../../src/plugins/releases/directory.ts';
import { UploadError } from '../../src/plugins/releases/http.ts';
import { RuleFileError } from '../../src/plugins/scan/rule-file.ts';
import { GitError } from '../../src/project/changed/git.ts';
import { MissingValueError } from '../../src/documents/values/values.ts';
import { UnknownWorkflowError } from '../../src/project/workflows.ts';
import { RemediationConfigError, RemediationError } from '../../src/remediation/errors.ts';
import { OptimizationError } from '../../src/optimize/errors.ts';
import { TaskError } from '../../src/tasks/errors.ts';
import { ServerUnreachable, WorkerHttpError } from '../../src/worker/client.ts';
import { MetricsFileError } from '../../src/optimize/sources/file.ts';
import { DecisionError } from '../../src/runs/approvals/decide.ts';
import { RunError, RunNotRecordedError } from '../../src/runs/run-error.ts';
import { ApiError, ClientGoneError, fromThrown, problemKinds, problemOf } from '../../src/api/errors.ts';
import { OutputsError } from '../../src/steps/run/outputs.ts';
import { StepFailure, SuspendRun } from '../../src/engine/step.ts';
import { StoreError } from '../../src/store/errors.ts';
import { PathError } from '../../src/store/paths.ts';
import type { ApprovalRecord } from '../../src/store/types.ts';

/** `logged`: the API logs it and answers 500 E_INTERNAL without its message. */
type Status = number | 'logged';
interface Row { error: PluginopsError; code: string; kind: ErrorKind; exit: number; status: Status }

const diagnostic: Diagnostic = { file: 'a.yml', line: 3, col: 5, code: 'E_TYPE', message: 'found a list; expected a map' };
const approval = { step: 'gate', status: 'waiting', requestedAt: '2026-01-01T00:00:00Z', onTimeout: 'reject', quorum: 1, fourEyes: false, title: 'Go?' } satisfies Partial<ApprovalRecord>;
const row = (error: PluginopsError, code: string, kind: ErrorKind, exit: number, status: Status): Row => ({ error, code, kind, exit, status });

const rows: Row[] = [
  // What a caller typed or sent.
  row(new CliError('E_USAGE', 'unknown command'), 'E_USAGE', 'usage', 2, 422),
  row(new ParameterError('parameter `plugin` is required'), 'E_PARAMETER', 'usage', 2, 422),
  row(new UnknownStepTypeError('build', 'plugin/compile'), 'E_UNKNOWN_STEP_TYPE', 'invalid', 1, 422),
  row(new InputError('input `workflow` is required'), 'E_INPUT', 'usage', 2, 422),
  row(new UnknownWorkflowError('no workflow `nope`'), 'E_UNKNOWN_WORKFLOW', 'not_defined', 2, 404),
  row(new PathError('E_BAD_ID', 'bad id'), 'E_BAD_ID', 'malformed', 1, 400),
  row(new PathError('E_PATH_ESCAPE', 'outside its root'), 'E_PATH_ESCAPE', 'malformed', 1, 400),
  row(new BackupError('E_BACKUP_UNSAFE', 'a path outside its root'), 'E_BACKUP_UNSAFE', 'malformed', 1, 400),
  row(new BackupError('E_BACKUP_CONFIG', 'backups inside the store'), 'E_BACKUP_CONFIG', 'invalid', 1, 422),
  row(new StoreError('E_BAD_ID', 'bad id'), 'E_BAD_ID', 'malformed', 1, 400),
  row(new InvalidDocumentsError([diagnostic]), 'E_INVALID_DOCUMENTS', 'invalid', 1, 422),
  row(new RemediationError('E_FEEDBACK_INVALID', 'bad feedback'), 'E_FEEDBACK_INVALID', 'invalid', 1, 422),
  row(new RemediationError('E_RESET_INVALID', 'bad reset'), 'E_RESET_INVALID', 'invalid', 1, 422),
  row(new MetricsFileError('m.csv', [{ line: 3, col: 25, message: 'not a number' }], 'm.csv:3:25: not a number'), 'E_METRICS_FILE', 'invalid', 1, 422),
  // Records and states.
  row(new RunError('E_NOT_FOUND', 'no run `r1`'), 'E_NOT_FOUND', 'not_found', 1, 404),
  row(new StoreError('E_NOT_FOUND', 'no execution'), 'E_NOT_FOUND', 'not_found', 1, 404),
  row(new CliError('E_NOT_FOUND', 'no execution x', 'not_found'), 'E_NOT_FOUND', 'not_found', 1, 404),
  row(new RemediationError('E_UNKNOWN_INCIDENT', 'no incident'), 'E_UNKNOWN_INCIDENT', 'not_found', 1, 404),
  row(new ReleaseError('E_NO_RELEASE', 'no release'), 'E_NO_RELEASE', 'not_found', 1, 404),
  row(new BackupError('E_BACKUP_NOT_FOUND', 'no backup'), 'E_BACKUP_NOT_FOUND', 'not_found', 1, 404),
  row(new BackupError('E_BACKUP_VERSION', 'a newer store'), 'E_BACKUP_VERSION', 'conflict', 1, 409),
  row(new BackupError('E_BACKUP_BUSY', 'serve owns the store'), 'E_BACKUP_BUSY', 'unavailable', 1, 503),
  row(new UnknownMonitorIdError('no HealthCheck `c`'), 'E_NOT_FOUND', 'not_found', 1, 404),
  row(new ControlsError('E_CONTROL_UNKNOWN', 'no HealthCheck `c`'), 'E_CONTROL_UNKNOWN', 'not_found', 1, 404),
  row(new ControlsError('E_CONTROL_CONFLICT', 'not paused'), 'E_CONTROL_CONFLICT', 'conflict', 1, 409),
  row(new ControlsError('E_CONTROL_INVALID', 'no reason'), 'E_CONTROL_INVALID', 'invalid', 1, 422),
  row(new RemediationError('E_NO_REMEDIATION', 'no remediation'), 'E_NO_REMEDIATION', 'conflict', 1, 409),
  row(new OptimizationError('E_UNKNOWN_SUGGESTION', 'no suggestion'), 'E_UNKNOWN_SUGGESTION', 'not_found', 1, 404),
  row(new OptimizationError('E_SUGGESTION_STATE', 'dismissed'), 'E_SUGGESTION_STATE', 'conflict', 1, 409),
  row(new OptimizationError('E_STALE_ETAG', 'changed'), 'E_STALE_ETAG', 'conflict', 1, 409),
  row(new OptimizationError('E_PLUGIN_BUSY', 'in flight'), 'E_PLUGIN_BUSY', 'conflict', 1, 409),
  row(new OptimizationError('E_COOLDOWN', 'cooling down'), 'E_COOLDOWN', 'conflict', 1, 409),
  row(new OptimizationError('E_NOT_APPLICABLE', 'no runbook'), 'E_NOT_APPLICABLE', 'conflict', 1, 409),
  row(new TaskError('E_UNKNOWN_TASK', 'no task'), 'E_UNKNOWN_TASK', 'not_found', 1, 404),
  row(new TaskError('E_UNKNOWN_WORKER', 'no worker'), 'E_UNKNOWN_WORKER', 'not_found', 1, 404),
  row(new TaskError('E_TASK_STATE', 'ended'), 'E_TASK_STATE', 'conflict', 1, 409),
  row(new TaskError('E_STALE_CLAIM', 'not yours'), 'E_STALE_CLAIM', 'conflict', 1, 409),
  row(new TaskError('E_WORKER_NAME_TAKEN', 'online'), 'E_WORKER_NAME_TAKEN', 'conflict', 1, 409),
  row(new TaskError('E_NOT_FOR_WORKERS', 'approval'), 'E_NOT_FOR_WORKERS', 'invalid', 1, 422),
  row(new TaskError('E_WORKER_ONLINE', 'online'), 'E_WORKER_ONLINE', 'conflict', 1, 409),
  row(new DatabaseError('E_DATABASE_UNREACHABLE', 'no answer'), 'E_DATABASE_UNREACHABLE', 'unavailable', 1, 503),
  row(new DatabaseError('E_DATABASE', 'statement failed'), 'E_DATABASE', 'failed', 1, 'logged'),
  row(new DatabaseError('E_DATABASE_URL', 'not postgres://'), 'E_DATABASE_URL', 'invalid', 1, 422),
  row(new DatabaseError('E_SCHEMA_NEWER', 'newer schema'), 'E_SCHEMA_NEWER', 'failed', 1, 'logged'),
  row(new DatabaseError('E_NOT_LEADER', 'not the leader'), 'E_NOT_LEADER', 'conflict', 1, 409),
  row(new WorkerHttpError(409, 'E_STALE_CLAIM', 'refused'), 'E_STALE_CLAIM', 'failed', 1, 'logged'),
  row(new ServerUnreachable('no answer'), 'E_UNAVAILABLE', 'unavailable', 1, 503),
  row(new RunError('E_CONCURRENCY', 'key taken', { holder: 'r0' }), 'E_CONCURRENCY', 'refused', 4, 409),
  row(new RunError('E_NOT_RETRYABLE', 'did not fail'), 'E_NOT_RETRYABLE', 'refused', 4, 409),
  row(new DecisionError('E_NOT_WAITING', 'not waiting'), 'E_NOT_WAITING', 'refused', 4, 409),
  row(new DecisionError('E_DUPLICATE', 'answered'), 'E_DUPLICATE', 'refused', 4, 409),
  row(new DecisionError('E_NOT_APPROVER', 'not an approver'), 'E_NOT_APPROVER', 'forbidden', 4, 403),
  row(new DecisionError('E_FOUR_EYES', 'four eyes'), 'E_FOUR_EYES', 'forbidden', 4, 403),
  row(new DecisionError('E_INVALID_VALUES', 'values'), 'E_INVALID_VALUES', 'unacceptable', 4, 422),
  row(new DecisionError('E_BAD_DECISION', 'decision'), 'E_BAD_DECISION', 'unacceptable', 4, 422),
  row(new ReplayCacheFullError('full'), 'E_REPLAY_CACHE_FULL', 'unavailable', 1, 503),
  // Content that does not validate, met while working (inside serve, a step or a command).
  row(new ExpressionSyntaxError('bad', 3), 'E_EXPRESSION', 'invalid', 1, 422),
  row(new TemplateError('no }}', 0), 'E_EXPRESSION', 'invalid', 1, 422),
  row(new MaintenanceWindowError('w1', 'ends before it starts'), 'E_MAINTENANCE_WINDOW', 'invalid', 1, 422),
  row(new MonitorConfigError(['a problem']), 'E_MONITOR_CONFIG', 'invalid', 1, 422),
  row(new CadenceError('found both `interval` and `cron`'), 'E_CADENCE', 'invalid', 1, 422),
  row(new DurationError('"5x" is not a duration'), 'E_DURATION', 'invalid', 1, 422),
  row(new RemediationConfigError(['a problem']), 'E_REMEDIATION_CONFIG', 'invalid', 1, 422),
  row(new RuleCompileError('AlertRule r: no source'), 'E_RULE', 'invalid', 1, 422),
  row(new FixtureError('not a value'), 'E_FIXTURE', 'invalid', 1, 422),
  row(new DuplicatePluginError('two manifests'), 'E_DUPLICATE_PLUGIN', 'invalid', 1, 422),
  row(new ChannelConfigError('not a URL'), 'E_CHANNEL_CONFIG', 'invalid', 1, 422),
  row(new RuleFileError([diagnostic]), 'E_RULE_FILE', 'invalid', 1, 422),
  row(new OutputsError('name set twice', 4, 'x'), 'E_OUTPUTS', 'invalid', 1, 422),
  // Failures that are not the caller's.
  row(new StoreError('E_STORE_UNWRITABLE', 'read-only'), 'E_STORE_UNWRITABLE', 'failed', 1, 'logged'),
  row(new StoreError('E_EXISTS', 'taken'), 'E_EXISTS', 'failed', 1, 'logged'),
  row(new StoreError('E_LOCKED', 'locked'), 'E_LOCKED', 'failed', 1, 'logged'),
  row(new CliError('E_CANCEL_TIMEOUT', 'did not stop', 'failed'), 'E_CANCEL_TIMEOUT', 'failed', 1, 'logged'),
  row(new ReleaseError('E_RELEASE_CORRUPT', 'corrupt'), 'E_RELEASE_CORRUPT', 'failed', 1, 'logged'),
  row(new ReleaseError('E_DEPLOY', 'deploy'), 'E_DEPLOY', 'failed', 1, 'logged'),
  row(new BackupError('E_BACKUP_CORRUPT', 'a file differs'), 'E_BACKUP_CORRUPT', 'failed', 1, 'logged'),
  row(new BackupError('E_BACKUP_WRITE', 'disk full'), 'E_BACKUP_WRITE', 'failed', 1, 'logged'),
  row(new ArchiveError('E_IO', 'read failed'), 'E_IO', 'failed', 1, 'logged'),
  row(new BuildError('E_LINK_OUTSIDE', 'link'), 'E_LINK_OUTSIDE', 'failed', 1, 'logged'),
  row(new ExtractError('E_CHECKSUM', 'checksum'), 'E_CHECKSUM', 'failed', 1, 'logged'),
  row(new GitHubError('GitHub answered 502', 502, 'createIssueComment', 3), 'E_GITHUB', 'failed', 1, 'logged'),
  row(new SpawnError('cannot start'), 'E_SPAWN', 'failed', 1, 'logged'),
  row(new JournalError('E_JOURNAL_GIT', 'git failed'), 'E_JOURNAL_GIT', 'failed', 1, 'logged'),
  row(new StateFileError('cannot read'), 'E_STATE', 'failed', 1, 'logged'),
  row(new ControlsFileError('not JSON'), 'E_CONTROLS_FILE', 'failed', 1, 'logged'),
  row(new Malformed('malformed answer'), 'E_MALFORMED_ANSWER', 'failed', 1, 'logged'),
  row(new NotANumber('a string'), 'E_NOT_A_NUMBER', 'failed', 1, 'logged'),
  row(new UploadError('upload failed'), 'E_UPLOAD', 'failed', 1, 'logged'),
  row(new GitError('git failed'), 'E_GIT', 'failed', 1, 'logged'),
  row(new MissingValueError('not set'), 'E_MISSING_ENV', 'failed', 1, 'logged'),
  row(new StepFailure('exit 2', 2), 'E_STEP_FAILED', 'failed', 1, 'logged'),
  // Stopped, paused, or a mistake in pluginops.
  row(new AbortedError('SIGTERM'), 'E_ABORTED', 'cancelled', 130, 'logged'),
  row(new ExtractError('E_ABORTED', 'aborted'), 'E_ABORTED', 'cancelled', 130, 'logged'),
  row(new CliError('E_INTERRUPTED', 'stopped', 'cancelled'), 'E_INTERRUPTED', 'cancelled', 130, 'logged'),
  row(new ClientGoneError('the client went away'), 'E_CLIENT_GONE', 'cancelled', 130, 'logged'),
  row(new SuspendRun(approval as ApprovalRecord), 'E_WAITING', 'waiting', 75, 'logged'),
  row(new ScheduleError('job', 'run must be a function'), 'E_SCHEDULE', 'internal', 70, 'logged'),
  row(new RunNotRecordedError('the run of p could not be recorded'), 'E_NOT_RECORDED', 'internal', 70, 'logged'),
  // The API's own errors are answered as they are.
  row(new ApiError('badRequest', 'bad query'), 'E_VALIDATION', 'malformed', 1, 400),
  row(new ApiError('badJson', 'not JSON'), 'E_BAD_JSON', 'malformed', 1, 400),
  row(new ApiError('unauthorized', 'no token'), 'E_UNAUTHORIZED', 'unauthorized', 4, 401),
  row(new ApiError('forbidden', 'no scope'), 'E_FORBIDDEN', 'forbidden', 4, 403),
  row(new ApiError('notFound', 'no route'), 'E_NOT_FOUND', 'not_found', 1, 404),
  row(new ApiError('method', 'not allowed'), 'E_METHOD', 'usage', 2, 405),
  row(new ApiError('conflict', 'finished'), 'E_CONFLICT', 'conflict', 1, 409),
  row(new ApiError('tooLarge', 'too large'), 'E_TOO_LARGE', 'invalid', 1, 413),
  row(new ApiError('mediaType', 'not JSON'), 'E_MEDIA_TYPE', 'usage', 2, 415),
  row(new ApiError('invalid', 'does not fit'), 'E_VALIDATION', 'invalid', 1, 422),
  row(new ApiError('internal', 'internal error'), 'E_INTERNAL', 'internal', 70, 500),
  row(new ApiError('unavailable', 'stopping'), 'E_UNAVAILABLE', 'unavailable', 1, 503),
];

const kinds = Object.keys(errorKinds) as ErrorKind[];
const name = (r: Row) => `${r.error.constructor.name} ${r.code}`;

test('every error has a stable E_ code and a kind from the closed list', () => {
  for (const r of rows) {
    assert.ok(r.error instanceof PluginopsError && r.error instanceof Error, name(r));
    assert.is(r.error.code, r.code, name(r));
    assert.match(r.error.code, /^E_[A-Z0-9]+(_[A-Z0-9]+)*$/, name(r));
    assert.is(r.error.kind, r.kind, name(r));
    assert.ok(kinds.includes(r.error.kind), name(r));
  }
});

test('every class in src/ that extends an error extends PluginopsError, and has a row here', () => {
  const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const bases = new Map<string, string>();
  for (const file of sources(join(import.meta.dirname, '..', '..', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bclass (\w+) extends (\w+)/g)) bases.set(m[1]!, m[2]!);
  }
  const isError = (c: string): boolean => c === 'Error' || (bases.has(c) && isError(bases.get(c)!));
  const errorClasses = [...bases.keys()].filter(isError);
  assert.equal(errorClasses.filter((c) => bases.get(c) === 'Error'), ['PluginopsError']);
  const covered = new Set(rows.map((r) => r.error.constructor.name));
  for (const c of errorClasses) if (c !== 'PluginopsError') assert.ok(covered.has(c), `${c} has no row`);
  assert.ok(errorClasses.length >= 40, `found ${errorClasses.length} error classes`);
});

test('each edge table answers exactly the kinds, and every kind is some error\'s', () => {
  const sorted = [...kinds].sort();
  for (const [edge, table] of [['cli', exitCodeOf], ['api', problemOf], ['action', statusOf]] as const) {
    assert.equal(Object.keys(table).sort(), sorted, edge);
  }
  for (const k of kinds) {
    assert.ok((Object.values(exitCodes) as number[]).includes(exitCodeOf[k]), `exit code of ${k}`);
    assert.ok(Object.hasOwn(problemKinds, problemOf[k]), `problem of ${k}`);
    assert.is(statusOf[k], 'failed', `action status of ${k}`);
    assert.ok(rows.some((r) => r.kind === k), `no error is ${k}`);
  }
});

test('the CLI exit code of each error', () => {
  for (const r of rows) assert.is(exitCodeOf[r.error.kind], r.exit, name(r));
  assert.is(new CliError('E_USAGE', 'x').exitCode, exitCodes.usage);
  assert.is(new CliError('E_INTERRUPTED', 'x', 'cancelled').exitCode, exitCodes.cancelled);
});

test('the API status of each error; internal ones are left to the logged 500', () => {
  for (const r of rows) {
    const answered = fromThrown(r.error);
    if (r.status === 'logged') assert.is(answered, undefined, name(r));
    else assert.is(answered?.status, r.status, name(r));
  }
  assert.is(fromThrown(new Error('boom')), undefined);
  assert.is(fromThrown(Object.assign(new Error('coded, but not ours'), { code: 'E_PARAMETER' })), undefined);
});

test('the API keeps what each answer showed: diagnostics, parameters, and why', () => {
  const docs = fromThrown(new InvalidDocumentsError([diagnostic]))!;
  assert.match(docs.message, /1 problem in the documents; run `pluginops validate`/);
  assert.equal(docs.details, [{ file: 'a.yml', line: 3, col: 5, code: 'E_TYPE', message: 'found a list; expected a map' }]);
  assert.equal(fromThrown(new ParameterError('bad'))!.details, [{ code: 'E_PARAMETER', message: 'bad', path: '/parameters' }]);
  assert.equal(fromThrown(new RunError('E_CONCURRENCY', 'taken', { holder: 'r0' }))!.details, { reason: 'E_CONCURRENCY', holder: 'r0' });
  assert.equal(fromThrown(new RemediationError('E_FEEDBACK_INVALID', 'bad', [{ field: 'reason', message: 'too long' }]))!.details,
    { reason: 'E_FEEDBACK_INVALID', problems: [{ field: 'reason', message: 'too long' }] });
  assert.equal(fromThrown(new DecisionError('E_FOUR_EYES', 'no'))!.details, { reason: 'E_FOUR_EYES' });
  assert.equal(fromThrown(new PathError('E_BAD_ID', 'no'))!.details, { reason: 'E_BAD_ID' });
});

test('the Action fails the job with the code and the message, and annotates document diagnostics', () => {
  for (const r of rows) {
    const f = failureOf(r.error);
    assert.is(f.message, `${r.code}: ${r.error.message}`, name(r));
    assert.is(f.status, 'failed', name(r));
  }
  assert.equal(failureOf(new InvalidDocumentsError([diagnostic])).diagnostics, [diagnostic]);
  assert.equal(failureOf(new ParameterError('x')).diagnostics, []);
  assert.equal(failureOf(new Error('boom')), { message: 'boom', status: 'failed', diagnostics: [] });
});

test('an error that concerns one place says where', () => {
  assert.equal(new OutputsError('name set twice', 4, 'x').location, { line: 4 });
  assert.is(new ParameterError('x').location, undefined);
});

test.run();
