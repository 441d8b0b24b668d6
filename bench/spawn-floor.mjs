// The floor for any Node-based runner: spawn COUNT processes with child_process.spawn, at most
// CONCURRENCY at once, and nothing else. Plain JavaScript, run by plain `node` (no tsx), so the
// process is as small as a Node process gets.
//
//   node bench/spawn-floor.mjs COUNT CONCURRENCY [--detached] [--pipes] -- COMMAND [ARGS...]
//
// Prints the time spent spawning (ms) as JSON on stdout.
import { spawn } from 'node:child_process';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = argv.slice(0, dash);
const [command, ...args] = argv.slice(dash + 1);
const count = Number(opts[0]);
const concurrency = Number(opts[1]);
const detached = opts.includes('--detached');
const pipes = opts.includes('--pipes');

const started = performance.now();
let launched = 0, finished = 0;
await new Promise((resolve, reject) => {
  const next = () => {
    if (launched === count) { if (finished === count) resolve(); return; }
    launched++;
    const child = spawn(command, args, { detached, stdio: pipes ? ['ignore', 'pipe', 'pipe'] : 'ignore' });
    if (pipes) { child.stdout.resume(); child.stderr.resume(); }
    child.once('error', reject);
    child.once(pipes ? 'close' : 'exit', (code) => {
      if (code !== 0) return reject(new Error(`${command} exited with ${code}`));
      finished++;
      next();
    });
  };
  for (let i = 0; i < Math.min(concurrency, count); i++) next();
});
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
