// The identity of one alert: a rule and the label set it fired for. Like Alertmanager's
// fingerprint, the key depends on the labels' names and values, never on their order.
import { createHash } from 'node:crypto';

export type Labels = Readonly<Record<string, string>>;

/** SHA-256 (hex, first 32 characters) over the rule id and the labels sorted by name. */
export function dedupKey(ruleId: string, labels: Labels): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]] as const);
  // JSON keeps the parts apart, so `a=b,c` and `a=b` + `c` can never hash alike.
  const canonical = JSON.stringify([ruleId, sorted]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}
