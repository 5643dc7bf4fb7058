export * from './crm-axios.js';
export * from './crm-call-telemetry.js';
export * from './crm-http.client.js';
export * from './crm-http.module.js';
export * from './crm-http-settings.js';
export * from './retry-timing.js';
export { CRM_CONNECTIONS_PER_ORIGIN, UndiciTransport } from './undici-transport.js';
