import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * The fault drills assert time bounds (an answer within deadline + 100 ms), so they run on their own, one file at
 * a time, after everything else has finished: on a 2-core CI machine another test file's CPU burst is otherwise
 * enough to push an answer past its bound.
 */
const TIMED_DRILLS = ['test/faults/**/*.{spec,test}.ts'];

// SWC compiles the tests so that Nest's decorators get their design-time metadata (esbuild emits none).
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['{apps,libs,test}/**/*.{spec,test}.ts'],
          exclude: TIMED_DRILLS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'fault-drills',
          include: TIMED_DRILLS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
