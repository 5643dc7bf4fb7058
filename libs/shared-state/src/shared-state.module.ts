import { Global, Inject, Module, Optional, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { SharedRedis, type SharedStateSettings } from './shared-redis.js';

/** The token of the process's SharedRedis, or null when REDIS_URL is not set. */
export const SHARED_REDIS = Symbol('SHARED_REDIS');

/** `@InjectSharedRedis() redis: SharedRedis | null`: null means "no Redis configured, keep it in memory". */
export const InjectSharedRedis = () => Inject(SHARED_REDIS);

/**
 * One Redis connection for the whole process, injectable anywhere (global). Without a URL it provides null and
 * opens nothing: `npm start` needs no Redis.
 */
@Global()
@Module({})
export class SharedStateModule implements OnApplicationShutdown {
  constructor(@Optional() @InjectSharedRedis() private readonly redis: SharedRedis | null) {}

  static forRoot(settings: SharedStateSettings): DynamicModule {
    return {
      module: SharedStateModule,
      providers: [
        {
          provide: SHARED_REDIS,
          useFactory: () => (settings.url ? new SharedRedis({ ...settings, url: settings.url }) : null),
        },
      ],
      exports: [SHARED_REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
