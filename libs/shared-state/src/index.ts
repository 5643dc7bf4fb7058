export * from './shared-redis.js';
export * from './shared-state.module.js';
export * from './shared-limiter.js';
