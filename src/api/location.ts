// The `Location` of an answer: where to read what a 201 created, or what a 202 accepted and is
// working on. A route names it as a path template over its answer's data (`/api/runs/{id}`); the
// same template is documented in the OpenAPI document and filled here when the answer is sent.
// The value is a path relative to the server (RFC 9110 allows a relative reference), so it stays
// right behind a proxy; each field is percent-encoded, so it can neither add a header line nor
// leave its path segment.

/** The statuses whose answers carry `Location`. */
export const locationStatuses: readonly number[] = [201, 202];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields of the data a template reads. */
export const locationFields = (template: string): string[] => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** `template` with each `{field}` replaced by the encoded field of `data`; an Error when one is missing. */
export function fillLocation(template: string, data: unknown): string {
  return template.replace(/\{([^}]+)\}/g, (_, field: string) => {
    const value = isRecord(data) ? data[field] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`Location ${template}: the answer has no \`${field}\``);
    return encodeURIComponent(String(value));
  });
}
