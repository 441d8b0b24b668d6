// How bad an incident is (its severity) and what it is about (its category). One source: the
// AlertRule and project schemas use these, and the TypeScript types are their `Static<>`, which
// notify/, monitor/ and the API read from here.
import type { Static } from '@sinclair/typebox';
import { StringEnum } from './common.ts';

/** Mildest first: an incident's severity rank is its index here. */
export const severities = ['info', 'success', 'warning', 'danger', 'critical'] as const;
export const AlertSeverity = StringEnum(severities);
export type Severity = Static<typeof AlertSeverity>;

export const categories = ['system', 'automation', 'git', 'test', 'deploy', 'performance', 'security', 'backup'] as const;
export const AlertCategory = StringEnum(categories);
export type Category = Static<typeof AlertCategory>;
