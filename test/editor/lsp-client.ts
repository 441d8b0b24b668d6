// A minimal LSP client for tests: runs the real yaml-language-server over stdio (JSON-RPC with
// Content-Length framing), answers the server's own requests (workspace/configuration with the
// given `yaml` settings), and waits, with a deadline, for answers and published diagnostics.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Position { line: number; character: number }
export interface Diagnostic { range: { start: Position; end: Position }; message: string; severity?: number }
export interface CompletionItem { label: string; documentation?: string | { kind: string; value: string } }

type Message = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

const require = createRequire(import.meta.url);
const serverBin = join(dirname(require.resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');

export const fileUri = (path: string): string => pathToFileURL(path).href;

export class YamlLanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly diagnosticWaiters = new Map<string, Array<(d: Diagnostic[]) => void>>();
  private stderr = '';
  private version = 0;

  private constructor(private readonly yamlSettings: Record<string, unknown>) {
    this.child = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    this.child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new Error(`yaml-language-server exited (${code ?? signal}): ${this.stderr}`)); }
      this.pending.clear();
    });
  }

  /** Starts a server for the workspace at `root` and hands it `yaml` settings, as an editor does. */
  static async start(root: string, yamlSettings: Record<string, unknown>): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer(yamlSettings);
    await server.request('initialize', {
      processId: process.pid,
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: 'workspace' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: {},
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: false } },
          formatting: { dynamicRegistration: true },
        },
      },
    }, 15_000);
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    // Code lenses wait for the configuration to be pulled and applied: their answer is the sign
    // that the schema settings are in force before any document opens.
    await server.request('textDocument/codeLens', { textDocument: { uri: fileUri(join(root, '.settings-barrier.yml')) } });
    return server;
  }

  /** Opens a document (its text need not be on disk) and resolves with its first diagnostics. */
  open(path: string, text: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const uri = fileUri(path);
    const published = this.nextDiagnostics(uri, timeoutMs);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++this.version, text } });
    return published;
  }

  /** Replaces the whole text of an open document, as typing does, and resolves with the new diagnostics. */
  change(path: string, text: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const uri = fileUri(path);
    const published = this.nextDiagnostics(uri, timeoutMs);
    this.notify('textDocument/didChange', { textDocument: { uri, version: ++this.version }, contentChanges: [{ text }] });
    return published;
  }

  private nextDiagnostics(uri: string, timeoutMs: number): Promise<Diagnostic[]> {
    return new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      const waiters = this.diagnosticWaiters.get(uri) ?? [];
      waiters.push((d) => { clearTimeout(timer); resolve(d); });
      this.diagnosticWaiters.set(uri, waiters);
    });
  }

  async completion(path: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.request('textDocument/completion', { textDocument: { uri: fileUri(path) }, position });
    if (Array.isArray(result)) return result as CompletionItem[];
    const list = result as { items?: CompletionItem[] } | null;
    return list?.items ?? [];
  }

  /** Shuts the server down politely, then kills it if it is still there after a second. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null, 2_000);
      this.notify('exit', null);
    } catch { /* killed below */ }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1_000);
    await exited;
    clearTimeout(timer);
  }

  request(method: string, params: unknown, timeoutMs = 10_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms; server stderr: ${this.stderr}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length) throw new Error('yaml-language-server sent a message without Content-Length');
      const start = headerEnd + 4, end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method && message.id !== undefined) {
      this.send({ jsonrpc: '2.0', id: message.id, result: this.answer(message.method, message.params) });
    } else if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      const waiter = this.diagnosticWaiters.get(uri)?.shift();
      waiter?.(diagnostics);
    } else if (typeof message.id === 'number') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.error) p.reject(new Error(message.error.message));
      else p.resolve(message.result);
    }
  }

  /** What an editor answers to the server's own requests. */
  private answer(method: string, params: unknown): unknown {
    if (method !== 'workspace/configuration') return null;
    const items = (params as { items: Array<{ section?: string }> }).items;
    return items.map((item) => (item.section === 'yaml' ? this.yamlSettings : {}));
  }
}
