// Document writes to one project go one at a time: a save or a delete reads the project's files,
// decides (the id exists, a reference still names it) and writes, and two at once would both
// decide on what neither has written yet (two creates of one id both answering 201, a delete of
// a check racing a rule that names it). The body check runs before, in parallel.
const tails = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier write to the project at `root` has settled. */
export function serially<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const run = (tails.get(root) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(root, tail);
  void tail.then(() => { if (tails.get(root) === tail) tails.delete(root); });
  return run;
}
