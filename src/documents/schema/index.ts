// Every document kind and its schema, in one closed table.
import type { Static, TSchema } from '@sinclair/typebox';
import { ActionPlan, AlertRule, HealthCheck } from './operations.ts';
import { PluginManifest } from './plugin.ts';
import { Project } from './project.ts';
import { Workflow } from './workflow.ts';
import { Optimization } from './optimization.ts';

export const documentSchemas = {
  Workflow,
  ActionPlan,
  HealthCheck,
  AlertRule,
  Optimization,
} as const satisfies Record<string, TSchema>;

export type DocumentKind = keyof typeof documentSchemas;
export const documentKinds = Object.keys(documentSchemas) as DocumentKind[];
export const isDocumentKind = (k: unknown): k is DocumentKind => typeof k === 'string' && k in documentSchemas;

export type DocumentOf<K extends DocumentKind> = Static<(typeof documentSchemas)[K]>;
export type AnyDocument = { [K in DocumentKind]: DocumentOf<K> }[DocumentKind];

/** File names under `schemas/`, one per kind plus the project file. */
export const schemaFiles = {
  'workflow.schema.json': Workflow,
  'action-plan.schema.json': ActionPlan,
  'health-check.schema.json': HealthCheck,
  'alert-rule.schema.json': AlertRule,
  'optimization.schema.json': Optimization,
  'project.schema.json': Project,
  'plugin.schema.json': PluginManifest,
} as const satisfies Record<string, TSchema>;

export { Project };
export type { ProjectDoc, TargetDoc, ChannelDoc, ValueDoc, SeverityName } from './project.ts';
export type { WorkflowDoc, StepDoc, RetryDoc, ParameterDoc } from './workflow.ts';
export type { ActionPlanDoc, HealthCheckDoc, AlertRuleDoc } from './operations.ts';
export type { OptimizationDoc } from './optimization.ts';
