import { NestFactory } from '@nestjs/core';
import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { cors } from 'corsguard/fastify';
import { AppModule } from './app.module.js';
import { corsOptions } from './cors-options.js';

// Nest on Fastify: no `cors: true` and no `app.enableCors()`; corsguard's plugin instead.
export async function createFastifyApp(nestOptions: NestApplicationOptions = {}) {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), nestOptions);
  await app.register(cors, corsOptions);
  return app;
}
