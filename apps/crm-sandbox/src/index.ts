export * from './faults/index.js';
export * from './sandbox.js';
