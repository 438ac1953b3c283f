/** The TypeScript sources of a folder, for the tests that read the tree's code (imports, constructions, keys). */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Every `.ts`/`.tsx` file below `dir` (declaration files left out). */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** A file's syntax tree (with parents, for positions); `text` when the caller has read it already. */
export function parseSource(file: string, text = fs.readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}
