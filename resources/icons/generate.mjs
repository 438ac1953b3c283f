#!/usr/bin/env node
/**
 * Generates every app icon from icon.svg (the one source):
 *   png/<N>x<N>.png  for Linux (electron-builder reads the folder) and the window icon
 *   icon.png         1024 px, electron-builder's generic fallback
 *   icon.ico         Windows (installer, exe, file association)
 *   icon.icns        macOS (app bundle, dmg)
 * SVG rendering: @resvg/resvg-js (resvg, a maintained Rust renderer with prebuilt npm binaries).
 * ICO/ICNS containers: png2icons (pure JS). Both are devDependencies; the outputs are committed so
 * packaging never needs to run this. Run `node resources/icons/generate.mjs` after editing the SVG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const here = path.dirname(fileURLToPath(import.meta.url));

export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

export function generate(outDir = here) {
  const svg = fs.readFileSync(path.join(here, 'icon.svg'), 'utf8');
  fs.mkdirSync(path.join(outDir, 'png'), { recursive: true });
  const written = [];
  for (const size of PNG_SIZES) {
    const file = path.join(outDir, 'png', `${size}x${size}.png`);
    fs.writeFileSync(file, renderPng(svg, size));
    written.push(file);
  }
  const big = renderPng(svg, 1024);
  fs.writeFileSync(path.join(outDir, 'icon.png'), big);
  const ico = png2icons.createICO(big, png2icons.BICUBIC2, 0, false, true);
  const icns = png2icons.createICNS(big, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not build the ico/icns files');
  fs.writeFileSync(path.join(outDir, 'icon.ico'), ico);
  fs.writeFileSync(path.join(outDir, 'icon.icns'), icns);
  written.push(path.join(outDir, 'icon.png'), path.join(outDir, 'icon.ico'), path.join(outDir, 'icon.icns'));
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of generate()) console.log(path.relative(process.cwd(), file));
}
