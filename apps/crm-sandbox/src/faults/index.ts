export * from './fault.js';
export * from './fault-injector.js';
export * from './install-faults.js';
