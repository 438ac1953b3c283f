/** Types of generate.mjs (plain JS so `npm run dist:icons` needs no TypeScript loader). */
export declare const PNG_SIZES: number[];
export declare function renderPng(svg: string, size: number): Buffer;
/** Writes every icon into `outDir` (default: this folder); returns the files written. */
export declare function generate(outDir?: string): string[];
