import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Nothing in the repository points outside it: every relative link in the Markdown resolves to a file of the
 * repository (and, with a `#fragment`, to a heading of that file), and no document, comment or string refers to the
 * team's contract as it was given outside the repository. docs/contract.md is the repository's own copy.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** Where code, comments and configuration live; scanned whole, strings included. */
const CODE_PLACES = ['apps', 'libs', 'bench', 'test', 'scripts', 'deploy', 'examples', '.ci'];
const CODE_FILES = ['Dockerfile', 'docker-compose.yml', 'package.json', 'nest-cli.json', 'eslint.config.js'];

/**
 * References to the contract's copies outside the repository: a relative path into the shared folder beside the
 * checkout, or the name of the product page. Built from pieces so that this file does not match itself.
 */
const OUTSIDE_REFERENCE = new RegExp(
  ['\\.\\./' + 'shared', '\\bshared/' + 'docs\\b', '\\bproduct' + '\\.md\\b'].join('|'),
  'i',
);

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !SKIPPED_DIRECTORIES.has(name))
    .flatMap((name) => filesUnder(join(path, name)));
}

function markdownFiles(): string[] {
  return filesUnder(ROOT).filter((file) => file.endsWith('.md'));
}

/** Fenced code blocks and inline code spans hold examples, not links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with the relative links of one Markdown file, as `file: target (reason)` lines. */
function brokenLinks(file: string, markdown: string): string[] {
  const problems: string[] = [];
  const name = relative(ROOT, file);
  for (const [, , target] of withoutCode(markdown).matchAll(/\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto: …
    const [pathPart, fragment] = target!.split('#', 2) as [string, string | undefined];
    const path = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file;
    if (path !== ROOT && !path.startsWith(ROOT + sep)) {
      problems.push(`${name}: ${target} (outside the repository)`);
    } else if (!existsSync(path)) {
      problems.push(`${name}: ${target} (no such file)`);
    } else if (fragment !== undefined && path.endsWith('.md')) {
      const anchors = headingAnchors(path === file ? markdown : readFileSync(path, 'utf8'));
      if (!anchors.has(decodeURIComponent(fragment))) problems.push(`${name}: ${target} (no such heading)`);
    }
  }
  return problems;
}

/** The lines of a file that refer to the contract outside the repository. */
function outsideReferences(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      OUTSIDE_REFERENCE.test(line) ? [`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [],
    );
}

describe('nothing in the repository points outside it', () => {
  it('every relative link in the Markdown resolves to a file and heading of the repository', () => {
    const files = markdownFiles();
    expect(files.map((file) => relative(ROOT, file))).toContain('docs/contract.md');
    expect(files.flatMap((file) => brokenLinks(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('no document, comment or string cites the contract as given outside the repository', () => {
    const files = [
      ...markdownFiles(),
      ...CODE_PLACES.flatMap((place) => filesUnder(join(ROOT, place))),
      ...CODE_FILES.map((file) => join(ROOT, file)).filter(existsSync),
    ];
    const unique = [...new Set(files)].filter((file) => statSync(file).size < 2_000_000);
    expect(unique.flatMap((file) => outsideReferences(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('the checks find a missing file, a missing heading, a link out of the repository and a reference outside', () => {
    const readme = join(ROOT, 'README.md');
    const markdown = [
      '# Title',
      '[fine](docs/contract.md#the-answer) [here](#title) [web](https://example.com/x.md)',
      '[gone](docs/no-such-page.md) [heading](docs/contract.md#no-such-heading) [out](../elsewhere/x.md)',
      '`[in code](docs/also-missing.md)`',
      '```',
      '[in a block](docs/missing-too.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(readme, markdown)).toEqual([
      'README.md: docs/no-such-page.md (no such file)',
      'README.md: docs/contract.md#no-such-heading (no such heading)',
      'README.md: ../elsewhere/x.md (outside the repository)',
    ]);
    const comment = `// see ${'../' + 'shared'}/docs/x.md and ${'product' + '.md'}, "Endpoints"\n// docs/contract.md`;
    expect(outsideReferences(join(ROOT, 'libs/x.ts'), comment)).toHaveLength(1);
    expect(headingAnchors("## The CRM's API budget\n## Zendesk Support (`zendesk`)\n## A\n## A")).toEqual(
      new Set(['the-crms-api-budget', 'zendesk-support-zendesk', 'a', 'a-1']),
    );
  });
});
