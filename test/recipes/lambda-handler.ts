import { withCors } from 'corsguard/lambda';

// The same wrapped handler works behind API Gateway (REST and HTTP APIs), a Function URL or an ALB.
export const handler = withCors(
  async (event: { rawPath?: string; path?: string }) => ({
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: event.rawPath ?? event.path }),
  }),
  {
    allowOrigins: ['https://app.example.com'],
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Content-Type', 'Authorization'],
    allowCredentials: true,
  },
);
