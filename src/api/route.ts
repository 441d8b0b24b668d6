// A route as a value: method, path template, who may call it, the schemas of its query, body and
// answer, the errors it may give, and its handler. The router and the OpenAPI document are both
// derived from the same table of these (routes.ts), so they cannot drift apart.
//
// Types come from the definition: `{id}` in the path gives the handler `params.id: string`, the
// query and body schemas (TypeBox) give `query` and `body` their static types.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Mask } from '../engine/mask.ts';
import type { Access, Caller } from './auth.ts';
import type { Media } from './body.ts';
import type { ApiDeps } from './deps.ts';
import type { ProblemKind } from './errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Tag = 'workflows' | 'documents' | 'executions' | 'runs' | 'remediation' | 'statistics' | 'checks' | 'alerts' | 'incidents' | 'metrics' | 'status' | 'controls' | 'optimization' | 'tasks' | 'workers' | 'meta';

type ParamNames<S extends string> = S extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
export type PathParams<S extends string> = { [K in ParamNames<S>]: string };

/** A JSON body checked against `schema`; an empty body counts as `{}`. */
export interface JsonBody<T extends TSchema = TSchema> { kind: 'json'; schema: T; description: string }
/** A document as text (YAML or JSON), validated by the handler like a file. */
export interface DocumentBody { kind: 'document'; media: readonly Media[]; schema: TSchema; description: string }
export type BodySpec = JsonBody | DocumentBody;

export interface DocumentText { text: string; media: Media }
type BodyValue<B> = B extends JsonBody<infer T> ? Static<T> : B extends DocumentBody ? DocumentText : undefined;

export interface Answer {
  status: number;
  description: string;
  /** The schema of `data` in the success envelope. */
  data: TSchema;
  /** Other success statuses with the same body (201 for a created resource). */
  alsoStatus?: readonly number[];
  /** The data is the whole body, without the envelope (the OpenAPI document). */
  bare?: true;
  /**
   * Sent as `Location` with a 201 or 202 answer: where to read what was created or accepted, as a
   * path template over the data's fields (location.ts).
   */
  location?: `/api/${string}`;
  /** Headers a success answer may carry besides `Location`, by name: what each says. */
  headers?: Readonly<Record<string, string>>;
}
/** An answer that is a server-sent event stream rather than one JSON body. */
export interface StreamAnswer { status: 200; description: string; stream: 'text/event-stream'; events: string }

export interface RouteContext<S extends string, Q, B> {
  params: PathParams<S>;
  query: Q;
  body: B;
  caller: Caller;
  deps: ApiDeps;
  openApi: object;
  /** Replaces the project's secrets with ***; applied to every answer. */
  mask: Mask;
  req: IncomingMessage;
  res: ServerResponse;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** What a handler hands back: data for the envelope, or `streamed` when it wrote the answer itself. */
export type Reply = { status?: number; data: unknown; message?: string; headers?: Record<string, string> } | typeof streamed;
export const streamed = Symbol('streamed');

export interface RouteDef<S extends string, Q extends TSchema, B extends BodySpec | undefined> {
  method: Method;
  path: S;
  access: Access;
  tag: Tag;
  operationId: string;
  summary: string;
  description?: string;
  query?: Q;
  body?: B;
  answer: Answer | StreamAnswer;
  /** Errors besides those every route of its kind may give (auth, validation, body, internal). */
  errors?: readonly ProblemKind[];
  /**
   * The data is sent as it is, not masked: a claimed task's inputs and environment, which the
   * worker holding it needs with their real values (its message is masked all the same).
   */
  unmasked?: true;
  handle(ctx: RouteContext<S, Static<Q>, BodyValue<B>>): Promise<Reply>;
}

export type Route = RouteDef<string, TSchema, BodySpec | undefined>;

export const defineRoute = <const S extends string, Q extends TSchema = TSchema, B extends BodySpec | undefined = undefined>(r: RouteDef<S, Q, B>): Route => r;
