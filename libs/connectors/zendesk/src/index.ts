export * from './zendesk-api.js';
export * from './zendesk-config.js';
export * from './zendesk-credentials.js';
export * from './zendesk-ticket-mapping.js';
export * from './zendesk-ticket.providers.js';
export * from './zendesk.connector.js';
export * from './zendesk.module.js';
