import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { cors } from 'corsguard/express';
import { ItemsController } from './items.controller.js';
import { corsOptions } from './cors-options.js';

// The module form, for Nest on Express: corsguard applied to every route of the module.
@Module({ controllers: [ItemsController] })
export class CorsAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cors(corsOptions)).forRoutes('*');
  }
}
