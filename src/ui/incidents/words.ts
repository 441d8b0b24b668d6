// The words for an incident's severity, category and status in both languages, and their badges
// (an icon and a word, the tone from the severity or status).
import type { Category, Severity } from '../../documents/schema/alerting.ts';
import type { IncidentStatus } from '../../monitor/incidents/incident.ts';
import type { Html } from '../html.ts';
import type { Locale } from '../i18n.ts';
import { badge, statusTone, type Tone } from '../parts.ts';

export const severityWords: Readonly<Record<Locale, Readonly<Record<Severity, string>>>> = {
  en: { info: 'Info', success: 'Success', warning: 'Warning', danger: 'Danger', critical: 'Critical' },
  ko: { info: '정보', success: '성공', warning: '경고', danger: '위험', critical: '심각' },
};

export const categoryWords: Readonly<Record<Locale, Readonly<Record<Category, string>>>> = {
  en: { system: 'System', automation: 'Automation', git: 'Git', test: 'Test', deploy: 'Deploy', performance: 'Performance', security: 'Security', backup: 'Backup' },
  ko: { system: '시스템', automation: '자동화', git: 'Git', test: '테스트', deploy: '배포', performance: '성능', security: '보안', backup: '백업' },
};

export const statusWords: Readonly<Record<Locale, Readonly<Record<IncidentStatus, string>>>> = {
  en: { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' },
  ko: { open: '열림', acknowledged: '확인됨', resolved: '해결됨' },
};

const severityTones: Readonly<Record<Severity, Tone>> = { info: 'info', success: 'ok', warning: 'warn', danger: 'bad', critical: 'bad' };

export const severityBadge = (locale: Locale, s: Severity): Html => badge(severityTones[s], severityWords[locale][s]);
export const statusBadge = (locale: Locale, s: IncidentStatus): Html => badge(statusTone(s), statusWords[locale][s]);
