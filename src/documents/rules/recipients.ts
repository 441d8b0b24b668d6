// Rules of the project file's people and groups: once a project defines `people:` or `groups:`,
// every recipient an escalation step names is one of them (a typo would otherwise reach nobody);
// a project that defines neither keeps recipients as names shown as they are. Every group member
// is a person, and no name is both (a recipient would not say which it means). Each problem is
// located at the name.
import type { Diagnostic } from '../diagnostics.ts';
import type { ProjectDoc } from '../schema/project.ts';
import { locate, type Path, type SourceDocument } from '../source.ts';
import { severities } from '../schema/alerting.ts';

const list = (names: Iterable<string>): string => [...names].join(', ');

export function recipientRules(src: SourceDocument, config: ProjectDoc): Diagnostic[] {
  const people = new Set(Object.keys(config.people ?? {}));
  const groups = new Set(Object.keys(config.groups ?? {}));
  const out: Diagnostic[] = [];
  const report = (path: Path, code: Diagnostic['code'], message: string, at: 'value' | 'key' = 'value') =>
    out.push({ file: src.file, ...locate(src, path, at), code, message });

  for (const name of groups) {
    if (people.has(name)) report(['groups', name], 'E_DUPLICATE_ID', `\`${name}\` is both a person and a group; expected one name for one of them`, 'key');
  }
  for (const [group, g] of Object.entries(config.groups ?? {})) {
    (g.members ?? []).forEach((member, i) => {
      if (!people.has(member)) {
        report(['groups', group, 'members', i], 'E_UNKNOWN_REFERENCE',
          `group \`${group}\` lists \`${member}\`, who is not under people:; expected one of: ${list(people) || '(no people defined)'}`);
      }
    });
  }
  const known = [...people, ...groups];
  if (known.length === 0) return out;
  for (const severity of severities) {
    const policy = config.monitoring?.escalation?.[severity];
    policy?.steps.forEach((step, i) => (step.recipients ?? []).forEach((name, j) => {
      if (people.has(name) || groups.has(name)) return;
      report(['monitoring', 'escalation', severity, 'steps', i, 'recipients', j], 'E_UNKNOWN_REFERENCE',
        `recipient \`${name}\` is not under people: or groups:; expected one of: ${list(known)}`);
    }));
  }
  return out;
}
