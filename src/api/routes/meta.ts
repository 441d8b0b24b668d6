// The API's own description. Public: it holds no data, and clients need it before they have a
// token to find out how to get one.
import { defineRoute } from '../route.ts';
import { OpenApiDocument } from '../schemas/meta.ts';

export const metaRoutes = [
  defineRoute({
    method: 'GET', path: '/api/openapi.json', access: 'public', tag: 'meta', operationId: 'getOpenApi',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'Unlike every other route, answered without the envelope: the body is the document itself.',
    answer: { status: 200, bare: true, description: 'The OpenAPI document.', data: OpenApiDocument },
    async handle({ openApi }) {
      return { data: openApi };
    },
  }),
];
