// Where an incident's page and API routes are: its id is one path segment (`:` and all).
export const incidentPath = (id: string): string => `/incidents/${encodeURIComponent(id)}`;
export const incidentApi = (id: string, action?: 'acknowledge' | 'resolve' | 'feedback'): `/api/incidents/${string}` =>
  `/api/incidents/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
