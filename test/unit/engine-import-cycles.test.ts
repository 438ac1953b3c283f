/**
 * No import cycles among the engine's domain folders, type-only imports included: the composition
 * (`context.ts`, `engine.ts`, `handlers.ts`) imports the domains, and a domain types what it needs
 * as `EngineBase` plus the services it uses, so nothing points back. Each folder under
 * `electron/engine` is one node, each file at its top level another.
 *
 * A domain importing `EngineContext` is refused even where it closes no cycle yet (a domain the
 * composition reaches only through `handlers.ts`): the next service it needs would close one.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../support/source-files';

const ROOT = path.resolve(__dirname, '../../electron/engine');

/** The folder (`storage/`) or top-level file (`engine.ts`) a path inside the engine belongs to. */
function nodeOf(file: string): string {
  const parts = path.relative(ROOT, file).split(path.sep);
  return parts.length > 1 ? `${parts[0]}/` : parts[0]!;
}

function resolveImport(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

/**
 * The relative specifiers a source imports: imports and export-froms (`type` ones and inline
 * `{ type X }` included), `import()` calls and `import('…')` types.
 */
export function relativeImports(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'));
}

/** The composition: it builds the context and the handlers, so it imports the domains and none imports it. */
const COMPOSITION = new Set(['context.ts', 'engine.ts', 'handlers.ts']);
/** What may import the composition besides itself: the utility-process host that starts an Engine. */
const HOSTS = new Set(['index.ts', 'utility/']);

interface ImportGraph {
  /** node → the nodes it imports, each with one file that does it (for the failure message). */
  edges: Map<string, Map<string, string>>;
  /** Relative imports that name no file (the walk would otherwise skip them silently). */
  unresolved: string[];
}

export function engineImportGraph(): ImportGraph {
  const graph = new Map<string, Map<string, string>>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(ROOT)) {
    const from = nodeOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const fileName of relativeImports(fs.readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, fileName);
      if (!target) unresolved.push(`${path.relative(ROOT, file)} imports ${fileName}`);
      if (!target || !target.startsWith(ROOT + path.sep)) continue;
      const to = nodeOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${path.relative(ROOT, file)} imports ${fileName}`);
    }
  }
  return { edges: graph, unresolved };
}

/** Edges from a domain (or a top-level module outside the composition) into the composition. */
function intoComposition(graph: Map<string, Map<string, string>>): string[] {
  return [...graph].flatMap(([from, edges]) =>
    COMPOSITION.has(from) || HOSTS.has(from)
      ? []
      : [...edges].filter(([to]) => COMPOSITION.has(to)).map(([to, why]) => `${from} -> ${to}: ${why}`),
  );
}

/** The strongly connected components with more than one node (Tarjan), each sorted. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe('engine import graph', () => {
  const { edges: graph, unresolved } = engineImportGraph();

  it('reads every form of import, type-only ones included', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B } from './b';",
      "export type { C } from './c';",
      "type D = import('./d').D;",
      "const e = await import('./e');",
      "export * from './f';",
      "import pg from 'pg';",
    ].join('\n');
    expect(relativeImports(source)).toEqual(['./a', './b', './c', './d', './e', './f']);
  });

  it('sees the imports it checks, and every relative import names a file', () => {
    // If the walk found nothing, the checks below would pass vacuously.
    expect(graph.get('storage/')?.get('analysis/')).toBeDefined();
    expect(graph.get('context.ts')?.has('storage/')).toBe(true);
    expect(graph.get('settings/')?.get('base.ts')).toMatch(/import/);
    expect(graph.get('handlers.ts')?.get('context.ts')).toMatch(/handlers\.ts imports \.\/context/); // `import type`
    expect(unresolved).toEqual([]);
  });

  it('no domain imports the composition (EngineContext, the Engine, the handler map)', () => {
    expect(intoComposition(graph)).toEqual([]);
  });

  it('refuses a domain that imports EngineContext even where no cycle closes', () => {
    const withContext = new Map([...graph].map(([from, edges]) => [from, new Map(edges)]));
    // Today datasets/ is reached from the composition only through handlers.ts: this closes no cycle.
    withContext.get('datasets/')!.set('context.ts', 'datasets/handlers.ts imports ../context');
    expect(intoComposition(withContext)).toEqual(['datasets/ -> context.ts: datasets/handlers.ts imports ../context']);
  });

  it('has no cycle among the domain folders and the engine files', () => {
    const found = cycles(graph).map((component) => ({
      component,
      edges: component.flatMap((from) =>
        [...(graph.get(from) ?? [])].filter(([to]) => component.includes(to)).map(([to, why]) => `${from} -> ${to}: ${why}`),
      ),
    }));
    expect(found).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const withBackEdge = new Map([...graph].map(([from, edges]) => [from, new Map(edges)]));
    withBackEdge.get('settings/')!.set('context.ts', 'a settings module importing EngineContext');
    expect(cycles(withBackEdge).some((c) => c.includes('settings/') && c.includes('context.ts'))).toBe(true);
  });
});
