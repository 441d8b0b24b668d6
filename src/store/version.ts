// The version of the store's layout on disk (executions, logs, control, the monitor's state, the
// remediation log). Raise it when a change to that layout cannot be read by older code: a backup
// records it, and a restore refuses a backup made by a newer layout than this code reads.
export const storeVersion = 1;
