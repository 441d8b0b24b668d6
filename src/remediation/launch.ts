// Starting one attempt: its parameters filled in from the alert and the incident, then its run
// started through the plan port (with an approval wait when the attempt needs one), or, for a dry
// run, only recorded. What started is logged with its parameters and run id and noted on the
// incident's timeline; what could not start is handed back, for the Remediator to record as failed.
import type { Incident } from '../monitor/incidents/incident.ts';
import type { RemediateSpec } from './config.ts';
import type { AttemptEvent, LogEvent } from './events.ts';
import { planData } from './params.ts';
import { incidentBrief } from '../monitor/incidents/excerpt.ts';
import type { PlanInfo, PlanPort } from './ports.ts';
import { timelineText } from './report.ts';
import type { RemediationReporter } from './reporter.ts';

/** Started (or the dry run recorded), or why not with the attempt as it is to be logged. */
export type Launched = { started: true } | { started: false; attempt: AttemptEvent; why: string };

export interface LaunchEdges {
  port: Pick<PlanPort, 'start'>;
  append: (event: LogEvent) => Promise<unknown>;
  reporter: Pick<RemediationReporter, 'note'>;
}

export async function launch(incident: Incident, spec: RemediateSpec, info: PlanInfo, attempt: AttemptEvent, e: LaunchEdges): Promise<Launched> {
  let data: Record<string, unknown>;
  try {
    data = planData(spec.with, info, { alert: { labels: incident.labels, rule: incident.ruleId }, incident: { id: incident.id, severity: incident.severity } });
  } catch (x) {
    return { started: false, attempt, why: `its parameters could not be filled in: ${text(x)}` };
  }
  if (attempt.decision === 'dry-run') {
    await e.append({ ...attempt, params: data });
    await e.reporter.note(attempt.id, 'remediation', (r) => timelineText.dryRun(r));
    return { started: true };
  }
  let runId: string;
  try {
    ({ id: runId } = await e.port.start({
      plan: attempt.plan, data, requestedBy: 'remediation',
      trigger: { incident: incident.id, rule: incident.ruleId, ...(attempt.check ? { check: attempt.check } : {}), brief: incidentBrief(incident) },
      ...(attempt.approval ? { requireApproval: true } : {}),
    }));
  } catch (x) {
    return { started: false, attempt: { ...attempt, params: data }, why: text(x) };
  }
  await e.append({ ...attempt, params: data, runId });
  await e.reporter.note(attempt.id, 'remediation', (r) => timelineText.started(r));
  return { started: true };
}

const text = (x: unknown): string => (x instanceof Error ? x.message : String(x));
