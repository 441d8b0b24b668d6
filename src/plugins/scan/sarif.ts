// A scan as a SARIF 2.1.0 log that GitHub code scanning accepts: one run, the rules with their
// levels and `security-severity`, results with locations relative to %SRCROOT%, stable partial
// fingerprints, and inline suppressions. The same scan gives byte-identical text.
import { createHash } from 'node:crypto';
import { compareFindings, type Finding, type RuleInfo, type SuppressedFinding } from './finding.ts';
import { sarifLevel, securitySeverity, type SarifLevel } from './severity.ts';

export const sarifSchemaUri = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifText { text: string }

export interface SarifRule {
  id: string;
  shortDescription: SarifText;
  fullDescription: SarifText;
  help: SarifText;
  defaultConfiguration: { level: SarifLevel };
  properties: { 'security-severity': string; tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifText;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
      region: { startLine: number; startColumn: number };
    };
  }>;
  partialFingerprints: { primaryLocationLineHash: string };
  suppressions?: Array<{ kind: 'inSource'; justification: string }>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [{
    tool: { driver: { name: 'pluginops'; rules: SarifRule[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }];
}

export interface SarifInput {
  rules: readonly RuleInfo[];
  findings: readonly Finding[];
  suppressed?: readonly SuppressedFinding[];
}

export interface SarifOptions {
  /** Put before every file path, e.g. the plugin directory relative to the repository root. */
  uriPrefix?: string;
}

export function toSarif(scan: SarifInput, o: SarifOptions = {}): SarifLog {
  const rules = scan.rules.map(sarifRule);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const all: Array<Finding | SuppressedFinding> = [...scan.findings, ...(scan.suppressed ?? [])].sort(compareFindings);
  const occurrences = new Map<string, number>();
  const results = all.map((f): SarifResult => {
    const uri = toUri(o.uriPrefix, f.file);
    const hash = createHash('sha256').update(`${f.ruleId}\0${uri}\0${f.lineHash}`).digest('hex').slice(0, 16);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    const ruleIndex = index.get(f.ruleId);
    if (ruleIndex === undefined) throw new Error(`finding for rule ${f.ruleId}, which the SARIF rule list lacks`);
    return {
      ruleId: f.ruleId, ruleIndex, level: sarifLevel[f.severity], message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: f.line, startColumn: f.col } } }],
      partialFingerprints: { primaryLocationLineHash: `${hash}:${n}` },
      ...('justification' in f ? { suppressions: [{ kind: 'inSource' as const, justification: f.justification }] } : {}),
    };
  });
  return {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'pluginops', rules } }, columnKind: 'utf16CodeUnits', results }],
  };
}

/** The SARIF log as text: two-space JSON and a final newline. */
export const sarifText = (scan: SarifInput, o: SarifOptions = {}): string => `${JSON.stringify(toSarif(scan, o), null, 2)}\n`;

function sarifRule(r: RuleInfo): SarifRule {
  return {
    id: r.id,
    shortDescription: { text: r.message },
    fullDescription: { text: r.cwe ? `${r.message} (${r.cwe})` : r.message },
    help: { text: r.fix },
    defaultConfiguration: { level: sarifLevel[r.severity] },
    properties: { 'security-severity': securitySeverity[r.severity], tags: ['security', ...(r.cwe ? [`external/cwe/${r.cwe.toLowerCase()}`] : [])] },
  };
}

/** A relative URI reference: each path segment percent-encoded. */
function toUri(prefix: string | undefined, file: string): string {
  const path = prefix ? `${prefix.replace(/\/+$/, '')}/${file}` : file;
  return path.split('/').map(encodeURIComponent).join('/');
}
