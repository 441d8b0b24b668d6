// `type: email` — one message over SMTP with nodemailer: the subject and a plain-text body with
// labelled fields (and an incident's evidence excerpt), plus the same as simple HTML, in the
// project's locale. An incident's recipients' addresses join the channel's `to`. The password is only
// read from the environment. An SMTP 4xx reply and connection problems may retry; 5xx will not.
// The outcome's `status` is the SMTP reply code when the server gave one.
import { readValue } from '../../documents/values/values.ts';
import type { Catalog } from '../catalog/index.ts';
import type { Notification } from '../message.ts';
import { detailFields, subjectLine, summaryLine } from './plain.ts';
import { evidenceText } from './evidence.ts';
import { recipientEmails } from '../recipients.ts';
import { ChannelConfigError, type ChannelMap, type Sender, type SendOutcome } from './types.ts';

export interface EmailContent { subject: string; text: string; html: string }

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The subject and bodies for a notification (pure; exported for tests and previews). */
export function emailContent(n: Notification, c: Catalog): EmailContent {
  const fields = detailFields(n, c);
  const evidence = n.kind === 'incident' ? evidenceText(n.evidence) : '';
  const text = [summaryLine(n, c), '', ...fields.map((f) => `${f.label}: ${f.value}`), ...(evidence ? ['', `${c.label.evidence}:`, evidence] : []), '', c.email.footer].join('\n');
  const rows = fields.map((f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`).join('');
  const shown = evidence ? `<h3>${escapeHtml(c.label.evidence)}</h3><pre>${escapeHtml(evidence)}</pre>` : '';
  const html = `<h2>${escapeHtml(n.title)}</h2>${n.text ? `<p>${escapeHtml(n.text)}</p>` : ''}<table>${rows}</table>${shown}<p><small>${escapeHtml(c.email.footer)}</small></p>`;
  return { subject: subjectLine(n, c).replace(/[\r\n]+/g, ' '), text, html };
}

const connectionCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETLS', 'EPROTOCOL']);

/** An SMTP failure as an outcome: 4xx and connection errors may retry, 5xx and the rest will not. */
export function classifySmtpError(e: unknown): SendOutcome {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { message?: unknown; code?: unknown; responseCode?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  const status = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  if (status !== undefined) return { ok: false, retry: status >= 400 && status < 500, status, error: `SMTP ${status}: ${message}` };
  return { ok: false, retry: typeof err.code === 'string' && connectionCodes.has(err.code), error: message };
}

export const emailSender: Sender<ChannelMap['email']> = {
  minIntervalMs: 0,
  prepare(channel, notification, { env, catalog, deliveryId }) {
    const host = readValue(channel.host, env, 'the SMTP host');
    const user = channel.user === undefined ? undefined : readValue(channel.user, env, 'the SMTP user');
    const pass = channel.password === undefined ? undefined : readValue(channel.password, env, 'the SMTP password');
    if ((user === undefined) !== (pass === undefined)) throw new ChannelConfigError('an email channel needs both user and password, or neither');
    const content = emailContent(notification, catalog);
    // The people an escalation step names are told too, each address once.
    const to = [...new Set([...channel.to, ...(notification.kind === 'incident' ? recipientEmails(notification.recipients) : [])])];
    const port = channel.port ?? 587;
    return async ({ signal }) => {
      // Loaded on first use: most runs send no email, and start-up stays short without it.
      const { createTransport } = await import('nodemailer');
      const transport = createTransport({
        host, port, secure: channel.secure ?? port === 465,
        ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
        connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000,
      });
      const aborted = new Promise<never>((_, reject) => {
        const stop = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted')));
        if (signal.aborted) stop(); else signal.addEventListener('abort', stop, { once: true });
      });
      aborted.catch(() => {});
      try {
        const info = await Promise.race([
          transport.sendMail({ from: channel.from, to, ...content, ...(deliveryId ? { messageId: `<${deliveryId.replace(/[^A-Za-z0-9._-]/g, '.')}@pluginops>` } : {}) }),
          aborted,
        ]);
        const code = /^(\d{3})/.exec(String(info.response ?? ''))?.[1];
        return { ok: true, ...(code ? { status: Number(code) } : {}) };
      } catch (e) {
        if (signal.aborted) return { ok: false, retry: true, error: e instanceof Error ? e.message : String(e) };
        return classifySmtpError(e);
      } finally {
        transport.close();
      }
    };
  },
};
