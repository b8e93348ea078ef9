/**
 * Values that are not options but look a little like a framework's request or context (one of
 * the properties an adapter's "was I passed to app.use() uncalled?" check reads, but not all).
 * Every adapter must answer them as bad options, with a CorsConfigError, never a TypeError
 * from its own check.
 */
export const NOT_OPTIONS: readonly unknown[] = [
  undefined,
  null,
  'https://app.example',
  42,
  { req: {} },
  { env: {} },
  { req: {}, res: {} },
  { req: {}, app: {} },
  { res: {}, app: {} },
  { headers: {}, method: 'GET' },
  { headers: {}, socket: {} },
  { method: 'GET', socket: {} },
];
