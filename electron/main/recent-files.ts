/**
 * Recently opened CSV files (`<userData>/recent-files.json`), newest first, for File ▸ Open Recent.
 * The OS list (Windows jump list, macOS Dock menu) is fed separately through app.addRecentDocument.
 */
import fs from 'node:fs';
import { z } from 'zod';

export const MAX_RECENT = 10;

export class RecentFiles {
  private files: string[];

  constructor(
    private readonly file: string,
    private readonly exists: (path: string) => boolean = (p) => fs.existsSync(p),
  ) {
    this.files = RecentFiles.read(file);
  }

  private static read(file: string): string[] {
    try {
      const parsed = z.array(z.string()).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  /** The list, without files that have disappeared since. */
  list(): string[] {
    return this.files.filter((f) => this.exists(f));
  }

  add(path: string): void {
    this.files = [path, ...this.files.filter((f) => f !== path)].slice(0, MAX_RECENT);
    this.write();
  }

  clear(): void {
    this.files = [];
    this.write();
  }

  private write(): void {
    try {
      fs.writeFileSync(this.file, JSON.stringify(this.files, null, 2) + '\n');
    } catch {
      // A read-only profile folder: the list lives for this session only.
    }
  }
}
