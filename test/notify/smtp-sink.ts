// A test SMTP server on 127.0.0.1 that records every message it accepts (for channel tests and
// later end-to-end tests). API:
//
//   startSmtpSink(o?: SinkOptions): Promise<{ port; messages: Array<{ from; to; data; user? }>; commands; close() }>
//
// It speaks just enough SMTP for nodemailer without TLS: the 220 greeting, EHLO/HELO, AUTH PLAIN
// and AUTH LOGIN (any password; the user is recorded), MAIL FROM, RCPT TO, DATA with a
// dot-terminated, dot-unstuffed body, RSET, NOOP and QUIT. `o.reply(command, n)` may replace the
// answer to the n-th (0-based, counted over all connections) MAIL, RCPT or end of DATA, e.g.
// `'451 4.3.0 try again later'` or `'550 5.1.1 no such user'`. `header(data, name)` reads a
// header of a recorded message, RFC 2047 encoded words decoded.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SinkMessage { from: string; to: string[]; data: string; user?: string }
export type SinkCommand = 'MAIL' | 'RCPT' | 'DATA';
export interface SinkOptions { reply?: (command: SinkCommand, n: number) => string | undefined }
export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  /** Every command line received, in order (AUTH arguments hidden). */
  commands: string[];
  close(): Promise<void>;
}

const address = (arg: string): string => /<([^>]*)>/.exec(arg)?.[1] ?? arg.trim();

export async function startSmtpSink(o: SinkOptions = {}): Promise<SmtpSink> {
  const sockets = new Set<Socket>();
  const counts: Record<SinkCommand, number> = { MAIL: 0, RCPT: 0, DATA: 0 };
  const answer = (command: SinkCommand, normal: string): string => o.reply?.(command, counts[command]++) ?? normal;
  const sink: SmtpSink = { port: 0, messages: [], commands: [], close: async () => {} };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    const say = (line: string) => { if (!socket.destroyed) socket.write(`${line}\r\n`); };
    let buffer = '';
    let mode: 'command' | 'data' | 'auth-plain' | 'auth-login-user' | 'auth-login-pass' = 'command';
    let envelope: { from: string; to: string[] } | undefined;
    let dataLines: string[] = [];
    let user: string | undefined;

    const command = (line: string) => {
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      sink.commands.push(verb.toUpperCase() === 'AUTH' ? `AUTH ${rest[0] ?? ''}` : line);
      switch (verb.toUpperCase()) {
        case 'EHLO': say('250-127.0.0.1 smtp-sink'); say('250-AUTH PLAIN LOGIN'); say('250 8BITMIME'); return;
        case 'HELO': say('250 127.0.0.1'); return;
        case 'AUTH': {
          const [mech = '', initial] = rest;
          if (mech.toUpperCase() === 'PLAIN') {
            if (initial) { user = Buffer.from(initial, 'base64').toString('utf8').split('\0')[1]; say('235 2.7.0 accepted'); } else { mode = 'auth-plain'; say('334 '); }
          } else if (mech.toUpperCase() === 'LOGIN') {
            if (initial) { user = Buffer.from(initial, 'base64').toString('utf8'); mode = 'auth-login-pass'; say('334 UGFzc3dvcmQ6'); } else { mode = 'auth-login-user'; say('334 VXNlcm5hbWU6'); }
          } else say('504 5.5.4 unknown mechanism');
          return;
        }
        case 'MAIL': {
          const reply = answer('MAIL', '250 2.1.0 ok');
          if (reply.startsWith('2')) envelope = { from: address(arg.replace(/^FROM:/i, '')), to: [] };
          say(reply); return;
        }
        case 'RCPT': {
          if (!envelope) { say('503 5.5.1 MAIL first'); return; }
          const reply = answer('RCPT', '250 2.1.5 ok');
          if (reply.startsWith('2')) envelope.to.push(address(arg.replace(/^TO:/i, '')));
          say(reply); return;
        }
        case 'DATA':
          if (!envelope || envelope.to.length === 0) { say('503 5.5.1 RCPT first'); return; }
          mode = 'data'; dataLines = []; say('354 end with <CRLF>.<CRLF>'); return;
        case 'RSET': envelope = undefined; say('250 2.0.0 ok'); return;
        case 'NOOP': say('250 2.0.0 ok'); return;
        case 'QUIT': say('221 2.0.0 bye'); socket.end(); return;
        default: say('502 5.5.2 command not recognized');
      }
    };

    const line = (text: string) => {
      switch (mode) {
        case 'command': command(text); return;
        case 'auth-plain': user = Buffer.from(text, 'base64').toString('utf8').split('\0')[1]; mode = 'command'; say('235 2.7.0 accepted'); return;
        case 'auth-login-user': user = Buffer.from(text, 'base64').toString('utf8'); mode = 'auth-login-pass'; say('334 UGFzc3dvcmQ6'); return;
        case 'auth-login-pass': mode = 'command'; say('235 2.7.0 accepted'); return;
        case 'data':
          if (text !== '.') { dataLines.push(text.startsWith('..') ? text.slice(1) : text); return; }
          mode = 'command';
          {
            const reply = answer('DATA', '250 2.0.0 queued');
            if (reply.startsWith('2') && envelope) sink.messages.push({ ...envelope, data: dataLines.join('\r\n'), ...(user ? { user } : {}) });
            envelope = undefined;
            say(reply);
          }
      }
    };

    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const text = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        line(text);
      }
    });
    say('220 127.0.0.1 ESMTP smtp-sink');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.address() as AddressInfo).port;
  sink.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return sink;
}

/** A header of a recorded message, unfolded and with RFC 2047 encoded words decoded. */
export function header(data: string, name: string): string | undefined {
  const head = data.split(/\r\n\r\n/)[0]?.replace(/\r\n[ \t]+/g, ' ') ?? '';
  const found = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (found === undefined) return undefined;
  return found.slice(name.length + 1).trim()
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) => (enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')));
}
