// The README's multi-tenant example: one compiled middleware per tenant, chosen by Host per request.
// tenants.test.ts serves it.
import express from 'express';
import { cors } from 'corsguard/express';

const TENANTS = {
  'a.api.example.com': ['https://a.example.com'],
  'b.api.example.com': ['https://b.example.com', 'https://admin.example.com'],
};

// Built once, at startup: options are validated here, never per request.
const byHost = new Map(Object.entries(TENANTS).map(([host, origins]) => [host, cors({ allowOrigins: origins })]));
// Any other host: every origin is denied (and another layer's CORS headers removed).
const noCors = cors({ allowOriginPredicate: () => false });

export const app = express();
app.use((req, res, next) => (byHost.get(req.hostname) ?? noCors)(req, res, next));
app.get('/items', (_req, res) => {
  res.json({ cors: res.locals.cors });
});
