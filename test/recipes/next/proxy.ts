import { NextResponse } from 'next/server';
import { withCors } from 'corsguard/fetch';
import { corsOptions } from './cors-options';

// Next.js 16 `proxy.ts` (Next 12 to 15: `middleware.ts` exporting `middleware`). Preflights
// are answered here; every other request goes on to its route with the CORS headers added.
export const proxy = withCors(() => NextResponse.next(), corsOptions);

export const config = { matcher: '/proxied/:path*' };
