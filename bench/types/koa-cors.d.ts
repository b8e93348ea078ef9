// @koa/cors ships no types and @types/koa__cors is not installed; the benchmark needs only this.
declare module '@koa/cors' {
  import type { Context, Middleware } from 'koa';
  interface KoaCorsOptions {
    origin?: string | ((ctx: Context) => string | Promise<string>);
    credentials?: boolean;
    allowMethods?: string | string[];
    allowHeaders?: string | string[];
    exposeHeaders?: string | string[];
    maxAge?: number | string;
  }
  export default function cors(options?: KoaCorsOptions): Middleware;
}
