// The bounds that keep the change analysis cheap whatever the diff: how many names a summary
// lists, how many files are parsed, how large they may be and how long Python may take.

/** Names kept in a summary's lists (manifests, dependency files, unmeasured files). */
export const maxNames = 50;
/** Touched functions kept in a summary, and per file by each language's measurer. */
export const maxFunctions = 20;
/** Files whose complexity is measured in one change. */
export const maxFiles = 200;
/** A file larger than this is not parsed. */
export const maxFileBytes = 1024 * 1024;
/** The files read for one change, all together. */
export const maxTotalBytes = 16 * 1024 * 1024;
/** How long the Python process may take for all the Python files. */
export const pythonTimeoutMs = 20_000;
