// The limits one remediation plan runs under (see guard.ts for what each one does). A policy is
// plain data; `guardPolicy` fills in the defaults and rejects values that would silently block
// or never block, and the guard checks every policy it is given the same way.
const hour = 60 * 60 * 1000;

export interface GuardPolicy {
  /** Minimum time between two attempts for one (plan, target). */
  cooldownMs: number;
  /** At most this many attempts for one (plan, target) in any sliding `windowMs`. */
  maxPerWindow: number;
  windowMs: number;
  /** This many failed or ineffective outcomes in a row open the breaker. */
  breakerThreshold: number;
  /** When set, an open breaker allows one trial run after this long; otherwise it waits for a person. */
  breakerResetMs?: number;
  /** Decide and record as usual, but never execute: `run` becomes `dry-run`. */
  dryRun: boolean;
}

export const defaultGuardPolicy = {
  cooldownMs: hour,
  maxPerWindow: 3,
  windowMs: hour,
  breakerThreshold: 3,
  dryRun: false,
} as const satisfies GuardPolicy;

/** A complete policy from the given fields and the defaults; a RangeError for an invalid value. */
export function guardPolicy(given: Partial<GuardPolicy> = {}): GuardPolicy {
  const policy: GuardPolicy = { ...defaultGuardPolicy };
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) Object.assign(policy, { [name]: value });
  }
  checkPolicy(policy);
  return policy;
}

export function checkPolicy(policy: GuardPolicy): void {
  atLeast('cooldownMs', policy.cooldownMs, 0, false);
  atLeast('maxPerWindow', policy.maxPerWindow, 1, true);
  atLeast('windowMs', policy.windowMs, 1, false);
  atLeast('breakerThreshold', policy.breakerThreshold, 1, true);
  if (policy.breakerResetMs !== undefined) atLeast('breakerResetMs', policy.breakerResetMs, 1, false);
}

function atLeast(name: keyof GuardPolicy, value: number, min: number, integer: boolean): void {
  const ok = Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value));
  if (!ok) {
    const expected = integer ? `an integer of at least ${min}` : `a finite number of at least ${min}`;
    throw new RangeError(`remediation policy ${name} must be ${expected}, found ${value}`);
  }
}
