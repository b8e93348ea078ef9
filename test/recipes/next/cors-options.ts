import type { CorsOptions } from 'corsguard/fetch';

export const corsOptions: CorsOptions = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['Content-Type'],
};
