// POST /slack/interactions: the Approve / Reject / Modify buttons of approval messages. Slack
// signs each request with the app's signing secret (HMAC-SHA256 over `v0:timestamp:body`); a
// request is taken only when that signature verifies against a `signingSecret` of a Slack
// channel, its timestamp is less than 5 minutes old, and it was not seen before (a replay) — by
// this process or any other on the same state directory, before or after a restart (the replay
// cache is a file: runs/approvals/replay-cache.ts). Approvers listed in a plan are matched against
// the Slack user id; against the user's name only when the project opts in
// (`approvals.slack.matchNames`), since a name is chosen by its owner and can be anyone's.
// Slack wants an answer within 3 seconds, so the request is answered 200 as soon as it is
// verified and read; the decision is then taken (approvers, four eyes, values — like the CLI and
// the API) and its outcome replaces the message through the interaction's `response_url`, or is
// shown only to the person who pressed when it was refused.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplayCache } from '../runs/approvals/replay-cache.ts';
import { parseInteraction, verifySlackRequest, type Interaction } from '../runs/approvals/slack.ts';
import type { ProjectDoc } from '../documents/schema/project.ts';
import { decisionMessage, postSlackJson } from '../runs/approvals/notify.ts';
import { maskDeep, projectMask } from '../engine/mask.ts';
import type { RunSupervisor } from '../runs/supervisor.ts';
import { readBody } from '../api/body.ts';
import { sendBare } from '../api/envelope.ts';
import { ApiError, fromThrown } from '../api/errors.ts';
import type { ExecutionStore, LogLevel } from '../store/types.ts';

export interface SlackDeps {
  config: () => ProjectDoc;
  env: Record<string, string | undefined>;
  runs: RunSupervisor;
  store: ExecutionStore;
  now: () => number;
  fetch: typeof globalThis.fetch;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
  /** The requests already taken, shared by every process on the same state directory. */
  replay: ReplayCache;
}

const replayWindowMs = 5 * 60_000;
const bodyLimit = 64 * 1024;

export function slackInteractions(deps: SlackDeps) {
  const pending = new Set<Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new ApiError('method', 'POST only', undefined, { allow: 'POST' });
    const secrets = signingSecrets(deps.config(), deps.env);
    if (secrets.length === 0) throw new ApiError('notFound', 'Slack interactions are off: no Slack channel has a `signingSecret` whose environment variable is set');
    const rawBody = (await readBody(req, bodyLimit)).toString('utf8');
    const now = deps.now();
    const header = (name: string) => { const v = req.headers[name]; return Array.isArray(v) ? v[0] : v; };
    const timestamp = header('x-slack-request-timestamp'), signature = header('x-slack-signature');
    const checks = secrets.map((secret) => verifySlackRequest({ secret, timestamp, signature, rawBody, nowMs: now }));
    if (!checks.some((c) => c.ok)) {
      const failed = checks.find((c) => !c.ok && c.code !== 'E_SIGNATURE_BAD') ?? checks[0]!;
      const message = failed.ok ? '' : failed.message;
      deps.log(`Slack interaction refused: ${message}`, 'warn');
      throw new ApiError('unauthorized', message, { reason: failed.ok ? 'E_SIGNATURE_BAD' : failed.code });
    }
    // Valid until its timestamp is too old, also when it was sent ahead of our clock.
    const until = Math.max(now, Number(timestamp) * 1_000) + replayWindowMs;
    let fresh: boolean;
    try {
      fresh = await deps.replay.take(signature!, until, now);
    } catch (e) {
      deps.log(`Slack interaction refused: ${(e as Error).message}`, 'error');
      throw new ApiError('unavailable', 'Slack requests cannot be checked for replays right now; try again');
    }
    if (!fresh) {
      deps.log('Slack interaction refused: a replay of a request already taken', 'warn');
      throw new ApiError('unauthorized', 'this request was already received (a replay)', { reason: 'E_SIGNATURE_REPLAY' });
    }
    const parsed = parseInteraction(rawBody);
    if (!parsed.ok) throw new ApiError('invalid', parsed.message);
    sendBare(res, 200, {});
    const work = decide(parsed.value).finally(() => pending.delete(work));
    pending.add(work);
  }

  async function decide(i: Interaction): Promise<void> {
    const record = await deps.store.get(i.runId).catch(() => undefined);
    const approvers = Object.values(record?.approvals ?? {}).find((a) => a.status === 'waiting')?.approvers;
    // Approvers are Slack user ids; names only when the project opts in (anyone can take a name).
    // The name still counts for four eyes and duplicates, where it can only refuse.
    const byName = deps.config().approvals?.slack?.matchNames === true;
    const by = approvers?.find((a) => a === i.user.id || (byName && a === i.user.name)) ?? (byName ? i.user.name : undefined) ?? i.user.id;
    try {
      const { decided } = await deps.runs.decide(i.runId, {
        decision: i.action === 'reject' ? 'reject' : 'approve', by, via: 'slack', aliases: [i.user.id, ...(i.user.name ? [i.user.name] : [])],
        // An input left empty keeps its value (Slack sends '' for it).
        ...(i.action === 'modify' && i.values ? { values: Object.fromEntries(Object.entries(i.values).filter(([, v]) => v.trim() !== '')) } : {}),
      });
      deps.log(`run ${i.runId} ${decided.outcome} by ${by} (Slack)`, 'info', { execution: i.runId, by, outcome: decided.outcome });
      if (i.responseUrl) {
        const message = decided.outcome === 'waiting'
          ? { response_type: 'ephemeral', replace_original: false, text: `Your approval is recorded; run ${i.runId} needs ${decided.approval.quorum - decided.approval.decisions.filter((d) => d.decision === 'approve').length} more.` }
          : { replace_original: true, ...decisionMessage(decided.approval, decided.decision, i.runId, deps.config().locale) };
        const mask = projectMask(deps.config(), deps.env);
        await postSlackJson(i.responseUrl, maskDeep(message, mask), deps.fetch);
      }
    } catch (e) {
      const known = fromThrown(e);
      const message = known?.message ?? 'the decision could not be recorded';
      if (!known) deps.log(`Slack decision on run ${i.runId} failed: ${(e as Error).message}`, 'error');
      else deps.log(`Slack decision on run ${i.runId} by ${by} refused: ${message}`, 'warn', { execution: i.runId, by });
      if (i.responseUrl) {
        await postSlackJson(i.responseUrl, { response_type: 'ephemeral', replace_original: false, text: `Not recorded: ${message}` }, deps.fetch)
          .catch((err: unknown) => deps.log(`could not answer Slack: ${(err as Error).message}`, 'warn'));
      }
    }
  }

  return {
    handle,
    /** Resolves when every decision taken so far is done (its Slack answer sent). */
    idle: async () => { while (pending.size) await Promise.allSettled([...pending]); },
  };
}

function signingSecrets(config: ProjectDoc, env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const c of Object.values(config.channels ?? {})) {
    if (c.type !== 'slack' || !c.signingSecret) continue;
    const v = env[c.signingSecret.env];
    if (v) out.push(v);
  }
  return [...new Set(out)];
}
