export * from './crm-budget.js';
export * from './crm-call-gate.js';
export * from './credential-hash.js';
export * from './interactions-cache.js';
export * from './pop-sharing.js';
export * from './sharing-metrics.js';
export * from './sharing-settings.js';
export * from './sharing.module.js';
