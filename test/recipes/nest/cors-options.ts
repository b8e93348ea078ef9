import type { CorsOptions } from 'corsguard';

export const corsOptions: CorsOptions = {
  allowOrigins: ['https://app.example.com'],
  allowCredentials: true,
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['Content-Type', 'Authorization'],
};
