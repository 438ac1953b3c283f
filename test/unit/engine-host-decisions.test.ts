/**
 * No product code decides on which host runs it: what differs between the desktop, browser mode,
 * the CLI and the tests is an `EngineOptions` field the host states when it builds the engine
 * (`files`, `retryQueueInBackground`, `secrets`), and `host` is only a label (`system/info`, logs).
 * Fails on a comparison or a `switch` of a `host` against a host name in the engine or the
 * browser-mode server; the names are read from `EngineHost` in electron/engine/base.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseSource, sourceFiles } from '../support/source-files';

const ELECTRON = path.resolve(__dirname, '../../electron');
const SCANNED = ['engine', 'serve', 'cli'].map((d) => path.join(ELECTRON, d));

/** The names of the `EngineHost` union (`'electron' | 'browser' | …`). */
function hostNames(): Set<string> {
  const base = parseSource(path.join(ELECTRON, 'engine/base.ts'));
  const alias = base.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'EngineHost');
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error('base.ts declares no EngineHost union');
  return new Set(alias.type.types.flatMap((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : [])));
}

/** `host` itself or any `….host`. */
function isHost(node: ts.Expression): boolean {
  const e = ts.isParenthesizedExpression(node) ? node.expression : node;
  return (ts.isIdentifier(e) && e.text === 'host') || (ts.isPropertyAccessExpression(e) && e.name.text === 'host');
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Lines where `source` compares or switches a host against one of `names`. */
export function hostDecisions(source: ts.SourceFile, names: ReadonlySet<string>): number[] {
  const lines: number[] = [];
  const isName = (e: ts.Expression) => ts.isStringLiteralLike(e) && names.has(e.text);
  const line = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      if ((isHost(node.left) && isName(node.right)) || (isHost(node.right) && isName(node.left))) lines.push(line(node));
    }
    if (ts.isSwitchStatement(node) && isHost(node.expression)) {
      if (node.caseBlock.clauses.some((c) => ts.isCaseClause(c) && isName(c.expression))) lines.push(line(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

describe('host decisions', () => {
  const names = hostNames();

  it('reads the host names from EngineHost', () => {
    expect([...names].sort()).toEqual(['browser', 'cli', 'electron', 'test']);
  });

  it('finds a decision when there is one, and not a comparison of endpoints', () => {
    const source = parseSource(
      'probe.ts',
      [
        "if (ctx.host !== 'cli') kick();",
        "const open = 'test' === options.host;",
        'switch (host) {',
        "  case 'browser':",
        '}',
        'const same = settings.host === base.host;',
        "const local = url.host === 'localhost';",
      ].join('\n'),
    );
    expect(hostDecisions(source, names)).toEqual([1, 2, 3]);
  });

  it('no module of the engine, the browser-mode server or the CLI branches on its host', () => {
    const found = SCANNED.flatMap(sourceFiles).flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes('host')) return [];
      return hostDecisions(parseSource(file, text), names).map((l) => `${path.relative(ELECTRON, file).split(path.sep).join('/')}:${l}`);
    });
    expect(found).toEqual([]);
  });
});
