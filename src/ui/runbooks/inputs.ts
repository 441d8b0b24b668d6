// Form inputs generated from typed parameter declarations (a plan's `parameters`, an approval's
// copy of them): a number is a number input, a boolean a checkbox, an `enum` a select, text a
// text input, each with its label, whether it is required, and its description and rules as the
// input's description. The shared script reads `data-type` to send typed JSON; the API checks
// every value against the declaration again (pattern, format, enum), and its message is shown.
import type { ApprovalParameter } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';

/** A parameter as a plan or an approval declares it (an approval keeps a copy of the plan's). */
export type Declared = ApprovalParameter;

const text: Messages<'required' | 'none' | 'yes' | 'no' | 'string' | 'number' | 'boolean' | 'pattern' | 'format' | 'oneOf' | 'default'> = {
  en: {
    required: 'required', none: '(none)', yes: 'yes', no: 'no',
    string: 'text', number: 'number', boolean: 'yes / no', pattern: 'matching /{pattern}/', format: 'format {format}', oneOf: 'one of {values}', default: 'default {value}',
  },
  ko: {
    required: '필수', none: '(없음)', yes: '예', no: '아니요',
    string: '텍스트', number: '숫자', boolean: '예 / 아니요', pattern: '/{pattern}/ 형식', format: '{format} 형식', oneOf: '{values} 중 하나', default: '기본값 {value}',
  },
};

/** A declaration's type, enum and rules in words: `number · default 2`, `text · matching /^a$/`. */
export function describeType(locale: Locale, p: Declared): string {
  const t = translator(text, locale);
  const parts = [t(p.type ?? 'string')];
  if (p.enum) parts.push(t('oneOf', { values: p.enum.join(', ') }));
  if (p.pattern !== undefined) parts.push(t('pattern', { pattern: p.pattern }));
  if (p.format !== undefined) parts.push(t('format', { format: p.format }));
  if (p.default !== undefined && p.default !== '') parts.push(t('default', { value: showValue(locale, p.default) }));
  return parts.join(' · ');
}

/** A value as a person reads it: booleans in words, nothing as "(none)". */
export function showValue(locale: Locale, v: unknown): string {
  const t = translator(text, locale);
  if (v === undefined || v === null || v === '') return t('none');
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export interface ParameterField {
  /** The parameter's name, shown as the label. */
  name: string;
  /** The body field the script fills (`data.workers`, `values.workers`). */
  field: string;
  /** Unique on the page. */
  id: string;
  declared: Declared;
  /** What the input holds at first: the current value, else the default. */
  value?: unknown;
  /** Marked and enforced by the browser (the API checks again). */
  required?: boolean;
}

/** One labelled input for a declared parameter. */
export function parameterField(locale: Locale, f: ParameterField): Html {
  const t = translator(text, locale);
  const p = f.declared;
  const value = f.value ?? p.default;
  const help = `${f.id}-help`;
  const described = html`<small id="${help}" class="muted">${[p.description, describeType(locale, p)].filter(Boolean).join(' — ')}</small>`;
  const mark = f.required ? html` <span class="req">(${t('required')})</span>` : html``;
  if (p.type === 'boolean') {
    return html`<div class="param param-boolean">
      <input type="checkbox" id="${f.id}" name="${f.field}" value="true" data-type="boolean" aria-describedby="${help}"${value === true || value === 'true' ? html` checked` : ''}>
      <label for="${f.id}">${f.name}${mark}</label>
      ${described}
    </div>`;
  }
  const numeric = p.type === 'number';
  const typeAttr = numeric ? html` data-type="number"` : html``;
  const req = f.required ? html` required aria-required="true"` : html``;
  let control: Html;
  if (p.enum) {
    const chosen = value === undefined ? undefined : String(value);
    control = html`<select id="${f.id}" name="${f.field}"${typeAttr}${req} aria-describedby="${help}">
      ${chosen === undefined || !f.required ? html`<option value=""${chosen === undefined ? html` selected` : ''}>${t('none')}</option>` : ''}
      ${p.enum.map((e) => html`<option value="${String(e)}"${String(e) === chosen ? html` selected` : ''}>${String(e)}</option>`)}
    </select>`;
  } else if (numeric) {
    control = html`<input type="number" step="any" inputmode="decimal" id="${f.id}" name="${f.field}"${typeAttr}${req} aria-describedby="${help}" value="${value === undefined ? '' : String(value)}">`;
  } else {
    control = html`<input type="text" id="${f.id}" name="${f.field}"${req} aria-describedby="${help}" autocomplete="off" spellcheck="false" value="${value === undefined ? '' : String(value)}">`;
  }
  return html`<div class="param">
    <label for="${f.id}">${f.name}${mark}</label>
    ${control}
    ${described}
  </div>`;
}
