export * from './crm-call-telemetry.js';
export * from './crm-http.client.js';
export * from './crm-http.module.js';
export * from './crm-http-settings.js';
export * from './retry-timing.js';
export * from './undici-transport.js';
