// Browsers may call the API only from the origins listed in `server.cors.origins` (exact
// matches; there is no wildcard). For such an origin every answer names it in
// `Access-Control-Allow-Origin` (that origin only, never `*`), and a preflight `OPTIONS` is
// answered with the methods the path has. Without the list, no CORS header is ever sent.
// Tokens travel in `Authorization`, never in cookies, so credentials are not allowed.
import type { ServerDoc } from '../documents/schema/project.ts';

export const allowedRequestHeaders = 'authorization, content-type, last-event-id';

export function allowedOrigin(origin: string | undefined, server: ServerDoc | undefined): string | undefined {
  if (!origin) return undefined;
  return server?.cors?.origins.includes(origin) ? origin : undefined;
}

export const corsHeaders = (origin: string): Record<string, string> => ({ 'access-control-allow-origin': origin, vary: 'Origin' });

export const preflightHeaders = (origin: string, methods: readonly string[]): Record<string, string> => ({
  ...corsHeaders(origin),
  'access-control-allow-methods': methods.join(', '),
  'access-control-allow-headers': allowedRequestHeaders,
  'access-control-max-age': '600',
});
