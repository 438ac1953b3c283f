/**
 * The engine's services are built once, in `createContext` (electron/engine/context.ts), and every
 * domain takes them from its context: no module of the engine, the browser-mode server or the CLI
 * constructs one of the classes that `EngineServices` lists (the hosts reach them through
 * `engine.ctx`). The classes are read from `EngineServices` itself, so a new service is
 * covered as soon as it is added there.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseSource, sourceFiles } from '../support/source-files';

const ELECTRON = path.resolve(__dirname, '../../electron');
const SCANNED = ['engine', 'serve', 'cli'].map((d) => path.join(ELECTRON, d));
const CONTEXT = path.join(ELECTRON, 'engine/context.ts');

/**
 * Constructions allowed outside `context.ts`, each with its reason:
 * - `FileAccess` in files/access.ts: `createFileAccess`, the factory `createContext` calls;
 * - `SettingsService` in settings/database-url.ts: hosts read which PostgreSQL to use from the
 *   settings before an engine (and so its context) can exist, because the engine's database
 *   depends on the answer.
 */
const ALLOWED = new Set(['engine/files/access.ts FileAccess', 'engine/settings/database-url.ts SettingsService']);

/** The type names `EngineServices` declares its services with (`Catalog`, `Browser`, …). */
export function serviceTypes(context: ts.SourceFile): string[] {
  const services = context.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'EngineServices',
  );
  if (!services) throw new Error('context.ts declares no EngineServices');
  return services.members.flatMap((m) =>
    ts.isPropertySignature(m) && m.type && ts.isTypeReferenceNode(m.type) && ts.isIdentifier(m.type.typeName) ? [m.type.typeName.text] : [],
  );
}

/** `new X(…)` expressions in a source whose X is one of `names`, as `X` at `line`. */
export function constructions(source: ts.SourceFile, names: ReadonlySet<string>): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text))
      found.push({ name: node.expression.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('engine services', () => {
  const services = new Set(serviceTypes(parseSource(CONTEXT)));

  it('reads the services from EngineServices', () => {
    for (const name of ['SettingsService', 'Catalog', 'AnalysisRuns', 'PublishQueueRunner', 'Browser', 'FileAccess'])
      expect(services).toContain(name);
  });

  it('finds a construction when there is one', () => {
    const source = parseSource('probe.ts', 'const a = new Catalog(db);\nconst b = new Map();\nclass X { c = new Browser(db, catalog); }\n');
    expect(constructions(source, services)).toEqual([
      { name: 'Catalog', line: 1 },
      { name: 'Browser', line: 3 },
    ]);
  });

  it('are constructed only in context.ts, not by a domain or a host', () => {
    const outside = SCANNED.flatMap(sourceFiles)
      .filter((file) => file !== CONTEXT)
      .flatMap((file) => {
        const relative = path.relative(ELECTRON, file).split(path.sep).join('/');
        const text = fs.readFileSync(file, 'utf8');
        // Parse only the files that could hold one (Prettier writes `new X(` with one space).
        if (![...services].some((name) => text.includes(`new ${name}`))) return [];
        return constructions(parseSource(file, text), services)
          .filter(({ name }) => !ALLOWED.has(`${relative} ${name}`))
          .map(({ name, line }) => `${relative}:${line} new ${name}`);
      });
    expect(outside).toEqual([]);
  });
});
