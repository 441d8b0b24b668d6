// The shape of every JSON answer, and the headers every answer carries.
//
//   success: { "success": true,  "data": …, "message"?: "…" }
//   error:   { "success": false, "message": "…", "code": "E_…", "details"?: … }
//
// Answers are never cached and never sniffed (`X-Content-Type-Options: nosniff` is also set
// before anything else runs, so even a failure on the way out carries it).
import type { ServerResponse } from 'node:http';
import { maskDeep, type Mask } from '../engine/mask.ts';
import type { ApiError } from './errors.ts';

export const commonHeaders = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

export interface SuccessBody {
  success: true;
  data: unknown;
  message?: string;
}

export interface ErrorBody {
  success: false;
  message: string;
  code: string;
  details?: unknown;
}

export function sendJson(res: ServerResponse, status: number, body: SuccessBody | ErrorBody, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) { if (!res.writableEnded) res.end(); return; }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...commonHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers,
  });
  res.end(text);
}

export function sendData(res: ServerResponse, status: number, data: unknown, message?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { success: true, data, ...(message !== undefined ? { message } : {}) }, headers);
}

/** An error answer; its message and details are masked (a document may quote a secret). */
export function sendError(res: ServerResponse, e: ApiError, mask: Mask = (t) => t): void {
  sendJson(res, e.status, { success: false, message: mask(e.message), code: e.code, ...(e.details !== undefined ? { details: maskDeep(e.details, mask) } : {}) }, e.headers);
}

/** A JSON value sent as the whole body, without the envelope (the OpenAPI document). */
export function sendBare(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { ...commonHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
