import { withCors } from 'corsguard/fetch';
import { corsOptions } from '../../../cors-options';

// The mistake corsRoutes prevents: no OPTIONS export, so Next answers preflights itself.
export const GET = withCors(() => Response.json([1, 2, 3]), corsOptions);
