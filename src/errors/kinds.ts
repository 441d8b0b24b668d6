// What went wrong, from the point of view of whoever asked: a closed list. Each edge (the CLI's
// exit codes, the API's statuses, the Action's failure) answers a kind from one table typed
// `Record<ErrorKind, …>`, so a kind added here does not compile until every edge answers it.
// The list is as long as the answers the edges give: two kinds that every edge answers alike
// would be one kind.

export const errorKinds = {
  usage: 'The command line or the request does not fit what the command declares: an unknown option, a missing argument, a workflow parameter its rules refuse.',
  not_defined: 'A name given by the caller that the documents do not define (a workflow or action plan).',
  malformed: 'An id or a path that cannot be one: a separator, `..`, a character outside its pattern, a path leading outside its root.',
  invalid: 'What was given is well-formed but does not validate: documents with diagnostics, a remediation request with bad fields, a rule that does not compile.',
  not_found: 'A record that is not there: a run, an execution, an incident, a release.',
  conflict: 'The request is valid, but the state of what it names does not allow it (an incident without a remediation).',
  refused: 'A decision or a run that the run\'s state refuses: a run not waiting, a second answer, a concurrency key taken, a retry of a run that did not fail.',
  forbidden: 'Who asks may not do this: not among the approvers, the requester under four eyes, a token without the scope.',
  unacceptable: 'A decision the run cannot take as given: an unknown decision, values of the wrong name or type.',
  unauthorized: 'Who asks is not known: no token, or one that matches none.',
  unavailable: 'Not possible right now; the same request may work later (the server is stopping, a cache is full).',
  failed: 'An operation failed for a reason that is not the caller\'s request: the environment, the configuration, a file, a process, a remote answer.',
  cancelled: 'Stopped by a signal or by the caller going away before it finished.',
  waiting: 'The run pauses until people decide (an approval).',
  internal: 'A mistake in pluginops itself.',
} as const satisfies Record<string, string>;

export type ErrorKind = keyof typeof errorKinds;
