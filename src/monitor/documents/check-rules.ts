// A HealthCheck's own rules: every condition parses, the fields its type probes with are present,
// the query and plugin fields appear only on the types that read them, a check has one cadence
// (`interval` or `cron`), and a `cron` schedule is a cron expression. The schema checks shapes;
// these need the type or more than one field.
import { cronProblem } from '../../documents/rules/cron-syntax.ts';
import { checkConditions } from '../checks/conditions.ts';
import type { Diagnostic, DiagnosticCode } from '../../documents/diagnostics.ts';
import type { Loaded } from '../../documents/document-set.ts';
import { locate, type Path } from '../../documents/source.ts';

type Check = Loaded<'HealthCheck'>;
type Spec = Check['doc']['spec'];

/** The fields a probe cannot run without. */
const requiredFields = {
  http: ['url'], tcp: ['host', 'port'], command: ['command'], prometheus: ['query'], loki: ['query'], plugin: ['plugin'],
} as const satisfies Record<Spec['type'], ReadonlyArray<keyof Spec>>;

/** Fields that only some types read; on another type they would be silently ignored, so they are errors. */
const onlyFor: ReadonlyArray<{ field: 'query' | 'server' | 'window' | 'plugin'; types: ReadonlyArray<Spec['type']> }> = [
  { field: 'query', types: ['prometheus', 'loki'] },
  { field: 'server', types: ['prometheus', 'loki'] },
  { field: 'window', types: ['loki'] },
  { field: 'plugin', types: ['plugin'] },
];

const a = (type: Spec['type']): string => `${type === 'http' ? 'an' : 'a'} ${type}`;

const at = (check: Check, path: Path, code: DiagnosticCode, message: string, where: 'value' | 'key' = 'value'): Diagnostic =>
  ({ file: check.src.file, ...locate(check.src, path, where), code, message });

export function conditionsParse(check: Check): Diagnostic[] {
  const { type, conditions = [] } = check.doc.spec;
  return checkConditions(type, conditions).map((p) =>
    at(check, ['spec', 'conditions', p.index], 'E_EXPRESSION', p.message));
}

export function probeFieldsPresent(check: Check): Diagnostic[] {
  const { spec } = check.doc;
  const missing = requiredFields[spec.type].filter((f) => spec[f] === undefined);
  if (missing.length === 0) return [];
  const names = missing.map((f) => `\`${f}\``).join(' and ');
  return [at(check, ['spec'], 'E_REQUIRED', `${a(spec.type)} check has no ${names}; expected ${requiredFields[spec.type].map((f) => `\`${f}\``).join(' and ')} under spec`, 'key')];
}

export function fieldsFitType(check: Check): Diagnostic[] {
  const { spec } = check.doc;
  return onlyFor
    .filter(({ field, types }) => spec[field] !== undefined && !types.includes(spec.type))
    .map(({ field, types }) => at(check, ['spec', field], 'E_UNKNOWN_KEY',
      `\`${field}\` applies to ${types.join(' and ')} checks only, found on ${a(spec.type)} check; expected no \`${field}\` here, or type ${types.join(' or ')}`, 'key'));
}

export function cronParses(check: Check): Diagnostic[] {
  const { cron } = check.doc.spec;
  if (cron === undefined) return [];
  const why = cronProblem(cron);
  return why ? [at(check, ['spec', 'cron'], 'E_VALUE', `cron "${cron}" does not parse (${why}); expected a cron expression such as "*/5 * * * *"`)] : [];
}

/** `interval` and `cron` together: a check runs on one cadence, so one of them would be ignored. */
export function oneCadence(check: Check): Diagnostic[] {
  const { interval, cron } = check.doc.spec;
  if (interval === undefined || cron === undefined) return [];
  return [at(check, ['spec', 'cron'], 'E_CADENCE',
    `found both \`interval: ${interval}\` and \`cron: "${cron}"\`; expected one of them: a check runs either every interval or on a cron schedule`, 'key')];
}

export const healthCheckRules: ReadonlyArray<(check: Check) => Diagnostic[]> = [conditionsParse, probeFieldsPresent, fieldsFitType, oneCadence, cronParses];
