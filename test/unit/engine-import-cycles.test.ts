/**
 * No import cycles among the engine's domain folders, type-only imports included: the composition
 * (`context.ts`, `engine.ts`, `handlers.ts`) imports the domains, and a domain types what it needs
 * as `EngineBase` plus the services it uses, so nothing points back. Each folder under
 * `electron/engine` is one node, each file at its top level another.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../electron/engine');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

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

/** node → the nodes it imports, each with one file that does it (for the failure message). */
export function engineImportGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(ROOT)) {
    const from = nodeOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    // preProcessFile lists every import, export-from and import() — `import type` included.
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName);
      if (!target || !target.startsWith(ROOT + path.sep)) continue;
      const to = nodeOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${path.relative(ROOT, file)} imports ${fileName}`);
    }
  }
  return graph;
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
  const graph = engineImportGraph();

  it('sees the imports it checks (type-only ones included)', () => {
    // If the walk found nothing, the check below would pass vacuously.
    expect(graph.get('storage/')?.get('analysis/')).toBeDefined();
    expect(graph.get('context.ts')?.has('storage/')).toBe(true);
    expect(graph.get('settings/')?.get('base.ts')).toMatch(/import/);
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
