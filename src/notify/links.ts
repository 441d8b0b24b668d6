// Links a notification carries when the server has a public URL (`server.publicUrl`): an
// incident links to the incident in the API, an execution to the execution.

/** The public URL without a trailing slash. */
export const publicBase = (publicUrl: string): string => publicUrl.replace(/\/+$/, '');

export const incidentLink = (publicUrl: string, id: string): string => `${publicBase(publicUrl)}/api/incidents/${encodeURIComponent(id)}`;
export const executionLink = (publicUrl: string, id: string): string => `${publicBase(publicUrl)}/api/executions/${encodeURIComponent(id)}`;
