// The floor for any Node-based runner: run COUNT commands, at most CONCURRENCY at once, and do
// nothing else. Plain JavaScript, run by plain `node` (no tsx), so the process is as small as a
// Node process gets.
//
//   node bench/spawn-floor.mjs COUNT CONCURRENCY [--detached] [--pipes] -- COMMAND [ARGS...]
//     one child_process.spawn per command (what a runner does today)
//   node bench/spawn-floor.mjs COUNT CONCURRENCY --sh-workers -- SCRIPT
//     CONCURRENCY long-lived `sh` processes, each running one `sh -c SCRIPT` at a time and
//     reporting its exit status on stdout: the fork happens in a small process instead of in Node
//
// Prints the time spent (ms) as JSON on stdout.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = argv.slice(0, dash);
const [command, ...args] = argv.slice(dash + 1);
const count = Number(opts[0]);
const concurrency = Math.min(Number(opts[1]), count);
const detached = opts.includes('--detached');
const pipes = opts.includes('--pipes');

const started = performance.now();
await (opts.includes('--sh-workers') ? viaShellWorkers : viaSpawn)();
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');

function viaSpawn() {
  let launched = 0, finished = 0;
  return new Promise((resolve, reject) => {
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
    for (let i = 0; i < concurrency; i++) next();
  });
}

function viaShellWorkers() {
  const loop = 'while IFS= read -r script; do sh -c "$script" </dev/null; echo "__exit $?"; done';
  let launched = 0, finished = 0;
  return new Promise((resolve, reject) => {
    for (let w = 0; w < concurrency; w++) {
      const worker = spawn('sh', ['-c', loop], { stdio: ['pipe', 'pipe', 'inherit'] });
      const give = () => {
        if (launched < count) { launched++; worker.stdin.write(`${command}\n`); } else worker.stdin.end();
      };
      createInterface({ input: worker.stdout }).on('line', (line) => {
        if (!line.startsWith('__exit ')) return;
        if (line !== '__exit 0') return reject(new Error(`${command} exited with ${line.slice(7)}`));
        if (++finished === count) resolve();
        give();
      });
      worker.once('error', reject);
      give();
    }
  });
}
