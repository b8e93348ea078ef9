import { corsRoutes } from 'corsguard/fetch';
import { corsOptions } from '../../../../cors-options';

// Next's second argument ({ params }) is passed through to each handler.
export const { GET, DELETE, OPTIONS } = corsRoutes(
  {
    GET: async (_request: Request, { params }: { params: Promise<{ id: string }> }) => Response.json({ id: (await params).id }),
    DELETE: async (_request: Request, { params }: { params: Promise<{ id: string }> }) => Response.json({ deleted: (await params).id }),
  },
  corsOptions,
);
