import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The real process, as Kubernetes starts it (from the TypeScript sources, see test/faults/support): a bad
 * environment variable stops it with one line on stderr that names the variable and its problem, never its value
 * and never a stack trace, and a non-zero exit code.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function boot(
  env: Record<string, string>,
  root = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        join(ROOT, 'test/faults/support/register-typescript.mjs'),
        'apps/bridge/src/main.ts',
      ],
      {
        cwd: root,
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

describe('CRM_SANDBOX=embedded where the build has no sandbox (the production image)', () => {
  // Where the build has one, the sandbox starts: test/faults boots the bridge that way (startBridgeProcess).
  it('is refused in one configuration line, not a module-loader stack trace', async () => {
    // The bridge as the image holds it: its own code and the libraries, the same package.json (whose `#sandbox`
    // import points at apps/crm-sandbox), and no apps/crm-sandbox.
    const build = mkdtempSync(join(tmpdir(), 'bridge-without-sandbox-'));
    try {
      cpSync(join(ROOT, 'package.json'), join(build, 'package.json'));
      cpSync(join(ROOT, 'apps/bridge'), join(build, 'apps/bridge'), { recursive: true });
      cpSync(join(ROOT, 'libs'), join(build, 'libs'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(build, 'node_modules'), 'dir');

      const { code, stdout, stderr } = await boot({ CRM_SANDBOX: 'embedded', SANDBOX_PORT: '0' }, build);
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Invalid configuration: CRM_SANDBOX=embedded, but this build has no sandbox CRM/);
      expect(lines[0]).toContain('CRM_SANDBOX_URL');
      expect(stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
      expect(stdout).toBe('');
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  }, 90_000);
});
