// The process edge: argv, environment, stdout/stderr, signals and the exit code live here only.
import { main } from './main.ts';

/** How long a process may outlive its command's answer. */
const lingerMs = 1_000;

const controller = new AbortController();
let interrupts = 0;
const onSignal = (sig: NodeJS.Signals) => {
  interrupts++;
  if (interrupts > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
  process.stderr.write(`\n${sig}: stopping (again to stop at once)\n`);
  controller.abort(sig);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed pipe (`pluginops … | head`) ends output quietly instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: { write: (t) => void process.stdout.write(t) },
  stderr: { write: (t) => void process.stderr.write(t) },
  isTTY: process.stdout.isTTY === true,
  signal: controller.signal,
  onHangup(fn) {
    process.on('SIGHUP', fn);
    return () => { process.off('SIGHUP', fn); };
  },
});
// The command is over. Something it left behind (a notification waiting between retries after
// `serve` stopped, a keep-alive socket) must not keep the process alive: a second later it ends.
// The timer does not hold a process that ends by itself.
setTimeout(() => process.exit(), lingerMs).unref();
