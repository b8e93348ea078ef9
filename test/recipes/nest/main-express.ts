import { NestFactory } from '@nestjs/core';
import type { NestApplicationOptions } from '@nestjs/common';
import { cors } from 'corsguard/express';
import { AppModule } from './app.module.js';
import { corsOptions } from './cors-options.js';

// Nest on Express: no `cors: true` and no `app.enableCors()`; corsguard's middleware instead.
export async function createExpressApp(nestOptions: NestApplicationOptions = {}) {
  const app = await NestFactory.create(AppModule, nestOptions);
  app.use(cors(corsOptions));
  return app;
}
