// Recipients: the names an escalation step gives, resolved through the project file's `people:`
// and `groups:` to where they are reached (addresses for e-mail, user and user-group ids for
// Slack). A group reaches its members, plus its own list address and Slack user group; a group
// with a Slack user group is mentioned as that group, not member by member. A name the file does
// not define (the shipped default policies' roles) stays a name with no address: the project
// file's own names are checked when it loads (documents/rules/recipients.ts).
import type { ProjectDoc } from '../documents/schema/project.ts';
import type { Recipient } from './message.ts';

export type Directory = Pick<ProjectDoc, 'people' | 'groups'>;

const unique = (values: Iterable<string>): string[] => [...new Set(values)];

export function resolveRecipients(names: readonly string[], d: Directory): Recipient[] {
  const people = d.people ?? {};
  const groups = d.groups ?? {};
  return unique(names).map((name): Recipient => {
    const person = Object.hasOwn(people, name) ? people[name] : undefined;
    if (person) return { name, emails: person.email ? [person.email] : [], slackUsers: person.slack ? [person.slack] : [], slackGroups: [] };
    const group = Object.hasOwn(groups, name) ? groups[name] : undefined;
    if (!group) return { name, emails: [], slackUsers: [], slackGroups: [] };
    const members = (group.members ?? []).flatMap((m) => (Object.hasOwn(people, m) && people[m] ? [people[m]!] : []));
    return {
      name,
      emails: unique([...(group.email ? [group.email] : []), ...members.flatMap((p) => (p.email ? [p.email] : []))]),
      slackUsers: group.slack ? [] : unique(members.flatMap((p) => (p.slack ? [p.slack] : []))),
      slackGroups: group.slack ? [group.slack] : [],
    };
  });
}

/** `alice, oncall`: the names as the project file gives them. */
export const recipientNames = (rs: readonly Recipient[] | undefined): string => (rs ?? []).map((r) => r.name).join(', ');

/** Every address of the recipients, once each. */
export const recipientEmails = (rs: readonly Recipient[] | undefined): string[] => unique((rs ?? []).flatMap((r) => r.emails));

/**
 * Slack mentions of the recipients: `<@U…>` for a person, `<!subteam^S…>` for a user group, the
 * name itself (escaped by the caller) for one Slack does not know. Ids are checked by the schema
 * (`U…`, `S…`), and checked again here, so no text can turn into a mention of everyone.
 */
export function slackMentions(rs: readonly Recipient[] | undefined, escape: (text: string) => string): string {
  return (rs ?? []).map((r) => {
    const users = r.slackUsers.filter((id) => /^[UW][A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`);
    const groups = r.slackGroups.filter((id) => /^S[A-Z0-9]+$/.test(id)).map((id) => `<!subteam^${id}>`);
    const mentions = [...groups, ...users];
    return mentions.length ? mentions.join(' ') : escape(r.name);
  }).join(', ');
}
