// The document kinds the API reads and writes, as they appear in paths (`/api/documents/HealthCheck/…`,
// spelled exactly like `kind:` in a file), and the folder a new document of each kind is written to.
import { isDocumentKind, type DocumentKind } from '../../documents/schema/index.ts';
import { ApiError } from '../errors.ts';

/** `<documents directory>/<folder>/<id>.yml` for a document the project does not define yet. */
export const kindFolders = {
  Workflow: 'workflows',
  ActionPlan: 'plans',
  HealthCheck: 'checks',
  AlertRule: 'rules',
  Optimization: 'optimization',
} as const satisfies Record<DocumentKind, string>;

/** The kind a path names; 404 for anything else, listing the kinds there are. */
export function kindOf(param: string): DocumentKind {
  if (isDocumentKind(param)) return param;
  throw new ApiError('notFound', `no document kind \`${param}\`; expected one of: ${Object.keys(kindFolders).join(', ')}`);
}
