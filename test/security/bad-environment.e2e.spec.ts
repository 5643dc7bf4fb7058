import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The real process, as Kubernetes starts it (from the TypeScript sources, see test/faults/support): a bad
 * environment variable stops it with one line on stderr that names the variable and its problem, never its value
 * and never a stack trace, and a non-zero exit code.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function boot(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', './test/faults/support/register-typescript.mjs', 'apps/bridge/src/main.ts'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, CRM_SANDBOX: 'off', HOST: '127.0.0.1', PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a bad environment variable', () => {
  it.each([
    ['ZENDESK_BASE_URL', 'http://user:s3cr3t-pw@host:bad'],
    ['HUBSPOT_BASE_URL', 'https://app:s3cr3t-pw@api.hubapi.com'],
    ['REQUEST_DEADLINE_MS', 's3cr3t-pw'],
  ])(
    '%s: one line naming it, not its value, no stack, exit code 1',
    async (name, value) => {
      const { code, stdout, stderr } = await boot({ [name]: value });
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name} `));
      expect(stderr + stdout).not.toContain('s3cr3t-pw');
      expect(stderr + stdout).not.toMatch(/\n\s+at /);
      expect(stdout).toBe('');
    },
    90_000,
  );
});
