// The queue contract on the embedded implementation: the board behind its async port.
import { TaskBoard } from '../../src/tasks/board.ts';
import { BoardQueue } from '../../src/tasks/board-queue.ts';
import { queueContract } from './contract.ts';

queueContract('task queue: board in memory', async (o) => ({
  queue: new BoardQueue(new TaskBoard(o, { putTask: () => {}, putWorker: () => {} })),
  close: async () => {},
})).run();
