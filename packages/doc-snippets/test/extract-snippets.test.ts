import { describe, expect, it } from 'vitest';
import {
  defaultAddressCall,
  extractSnippetPrograms,
  fencedBlocks,
  rewriteAddresses,
  SnippetMarkerError,
  snippetAddresses,
} from '../src/index.js';

const fence = '```';

describe('extractSnippetPrograms', () => {
  it('takes only blocks marked run, each as its own program', () => {
    const markdown = [
      '# Title',
      `${fence}ts`,
      'fragment();',
      fence,
      `${fence}ts run`,
      'console.log(1);',
      fence,
      `${fence}sh`,
      'npm install x',
      fence,
      `${fence}js run`,
      'console.log(2);',
      fence,
    ].join('\n');
    const programs = extractSnippetPrograms('doc.md', markdown);
    expect(
      programs.map(({ line, language, source, group }) => ({ line, language, source, group })),
    ).toEqual([
      { line: 5, language: 'ts', source: 'console.log(1);', group: undefined },
      { line: 11, language: 'js', source: 'console.log(2);', group: undefined },
    ]);
  });

  it('joins run=NAME blocks of a file in order, wherever they are', () => {
    const markdown = [
      `${fence}ts run=guide`,
      'const a = 1;',
      fence,
      'text',
      `${fence}ts run`,
      'alone();',
      fence,
      `${fence}typescript run=guide`,
      'console.log(a);',
      fence,
    ].join('\n');
    const [guide, alone] = extractSnippetPrograms('guide.md', markdown);
    expect(guide).toMatchObject({
      group: 'guide',
      line: 1,
      blockLines: [1, 8],
      source: 'const a = 1;\n\nconsole.log(a);',
    });
    expect(alone).toMatchObject({ group: undefined, line: 5, source: 'alone();' });
  });

  it('removes the indentation of a block inside a list item', () => {
    const markdown = [
      '1. Step:',
      '',
      `   ${fence}ts run`,
      '   if (x) {',
      '     y();',
      '   }',
      `   ${fence}`,
    ].join('\n');
    expect(extractSnippetPrograms('list.md', markdown)[0]!.source).toBe('if (x) {\n  y();\n}');
  });

  it('does not end a block at a shorter or different fence', () => {
    const markdown = [
      '````md',
      '```ts run',
      'inside();',
      '```',
      '````',
      '~~~ts run',
      'tilde();',
      '~~~',
    ].join('\n');
    expect(fencedBlocks(markdown).map((block) => block.info)).toEqual(['md', 'ts run']);
    expect(extractSnippetPrograms('nested.md', markdown).map((p) => p.source)).toEqual([
      'tilde();',
    ]);
  });

  it('rejects a run marker on a language it cannot run, so a typo hides nothing', () => {
    expect(() => extractSnippetPrograms('bad.md', `${fence}sh run\nls\n${fence}`)).toThrow(
      SnippetMarkerError,
    );
    expect(() => extractSnippetPrograms('bad.md', `${fence}sh run\nls\n${fence}`)).toThrow(
      'bad.md:1',
    );
    expect(() => extractSnippetPrograms('bad.md', `${fence}ts run=\nx\n${fence}`)).toThrow(
      /run=NAME/,
    );
    expect(() =>
      extractSnippetPrograms(
        'bad.md',
        `${fence}ts run=a\nx\n${fence}\n${fence}js run=a\ny\n${fence}`,
      ),
    ).toThrow(/mixes ts and js/);
  });
});

describe('rewriteAddresses', () => {
  const source = [
    "createRedlock(['redis://10.0.0.1:6379/0', 'redis://10.0.0.2:6379', 'redis://10.0.0.1:6379/1']);",
    "new Redis('rediss://:s3cret@cache.example.com:6380');",
    "createRedlock([{ host: '10.0.0.3', port: 6379, db: 0 }]);",
    "new Redis('redis://user:pw@10.0.0.2');",
  ].join('\n');

  it('finds one address per distinct host and port, TLS and credentials included', () => {
    expect(snippetAddresses(source)).toEqual([
      { authority: '10.0.0.1:6379', tls: false, username: undefined, password: undefined },
      { authority: '10.0.0.2:6379', tls: false, username: undefined, password: undefined },
      { authority: 'cache.example.com:6380', tls: true, username: undefined, password: 's3cret' },
      { authority: '10.0.0.3:6379', tls: false, username: undefined, password: undefined },
    ]);
  });

  it('points every occurrence at its server and keeps paths and credentials', () => {
    const ports: Record<string, number> = {
      '10.0.0.1:6379': 7001,
      '10.0.0.2:6379': 7002,
      'cache.example.com:6380': 7003,
      '10.0.0.3:6379': 7004,
    };
    const rewritten = rewriteAddresses(source, (address) => ({
      host: '127.0.0.1',
      port: ports[address.authority]!,
    }));
    expect(rewritten).toBe(
      [
        "createRedlock(['redis://127.0.0.1:7001/0', 'redis://127.0.0.1:7002', 'redis://127.0.0.1:7001/1']);",
        "new Redis('rediss://:s3cret@127.0.0.1:7003');",
        "createRedlock([{ host: '127.0.0.1', port: 7004, db: 0 }]);",
        "new Redis('redis://user:pw@127.0.0.1:7002');",
      ].join('\n'),
    );
  });
});

describe('defaultAddressCall', () => {
  it('finds calls that fall back to 127.0.0.1:6379, and only those', () => {
    expect(defaultAddressCall('const redlock = createRedlock();')).toBe('createRedlock()');
    expect(defaultAddressCall('const client = new Redis( );')).toBe('new Redis( )');
    expect(defaultAddressCall("createRedlock(['redis://10.0.0.1:6379'])")).toBeUndefined();
    expect(defaultAddressCall("new Redis('redis://10.0.0.1:6379')")).toBeUndefined();
  });
});
