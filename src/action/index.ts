// The action's entry: run it with the real edges, nothing else.
import { actionsCore } from './core.ts';
import { octokitPort } from './github/port.ts';
import { runAction } from './main.ts';

const controller = new AbortController();
process.on('SIGTERM', () => controller.abort('SIGTERM'));
process.on('SIGINT', () => controller.abort('SIGINT'));

await runAction({ core: actionsCore, env: process.env, cwd: process.cwd(), signal: controller.signal, github: (o) => octokitPort(o) });
