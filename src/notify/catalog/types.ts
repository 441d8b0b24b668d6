// The shape every message catalog has. Each language is a value of this type, so a text missing
// in one of them does not compile. Texts are templates: `{name}` is filled by `fill`.
import type { StepStatus } from '../../store/types.ts';
import type { Category, FinishedStatus, IncidentStatus, Severity } from '../message.ts';

export interface Catalog {
  /** The five levels, in the words the alert system uses. */
  severity: Record<Severity, string>;
  category: Record<Category, string>;
  /** An execution's status as a field value. */
  executionStatus: Record<FinishedStatus, string>;
  stepStatus: Record<StepStatus, string>;
  incidentStatus: Record<IncidentStatus, string>;
  /** What an execution did, in a title: `{workflow} {verb}`. */
  verb: Record<FinishedStatus, string>;
  execution: {
    title: string;
    titleForPlugin: string;
    stepsRanOne: string;
    stepsRanMany: string;
    /** Appended after "steps ran" or the failure: `{duration}`. */
    took: string;
    stepFailed: string;
    stepTimedOut: string;
    ended: string;
  };
  label: {
    workflow: string; plugin: string; status: string; duration: string; failedStep: string; error: string;
    execution: string; step: string; steps: string; severity: string; category: string; source: string;
    labels: string; at: string; details: string; recipients: string; evidence: string;
  };
  /** The body of an incident notification. */
  incident: { open: string; acknowledged: string; resolved: string; autoResolved: string; flapping: string };
  /** Why an alert fires (incident titles when a rule gives no summary). */
  alert: { unhealthy: string; level: string; anomaly: string; trend: string; rule: string };
  duration: { ms: string; s: string; m: string; h: string; ms2: string; hm: string };
  email: { footer: string };
}

/** `template` with every `{name}` replaced by `vars[name]` (unknown names are left as written). */
export const fill = (template: string, vars: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
