// Severities in order, and what each one becomes elsewhere: a SARIF level, GitHub's numeric
// `security-severity`, and the threshold a scan fails at.
import type { SeverityName } from '../../documents/schema/project.ts';

export type { SeverityName };

/** The threshold a scan fails at; `none` never fails. */
export type FailOn = SeverityName | 'none';

export type SarifLevel = 'error' | 'warning' | 'note';

/** Lowest first. */
export const severities = ['low', 'medium', 'high', 'critical'] as const satisfies readonly SeverityName[];

const rank: Record<SeverityName, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export const compareSeverity = (a: SeverityName, b: SeverityName): number => rank[a] - rank[b];

/** Whether a finding of `severity` makes a scan with threshold `failOn` fail. */
export const meets = (severity: SeverityName, failOn: FailOn): boolean => failOn !== 'none' && rank[severity] >= rank[failOn];

export const sarifLevel: Record<SeverityName, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** GitHub code scanning reads `properties.security-severity` as a CVSS-like score in a string. */
export const securitySeverity: Record<SeverityName, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
