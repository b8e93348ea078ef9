import { corsRoutes } from 'corsguard/fetch';
import { corsOptions } from '../../../cors-options';

// Every method export, and OPTIONS, so that preflights reach corsguard instead of Next.
export const { GET, PUT, OPTIONS } = corsRoutes(
  {
    GET: () => Response.json([1, 2, 3]),
    PUT: async (request: Request) => Response.json({ saved: await request.json() }),
  },
  corsOptions,
);
