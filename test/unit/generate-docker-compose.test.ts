/**
 * docker-compose.yml cannot run here (no Docker engine), so its shape is checked: services,
 * pinned images, healthchecks, named volumes, and every variable documented in .env.example with
 * the same default, and those defaults agreeing with what the app reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../..');
const composeText = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as {
  services: Record<
    string,
    {
      image: string;
      ports?: string[];
      volumes?: string[];
      environment?: Record<string, string>;
      healthcheck?: { test: string[] | string; interval?: string; retries?: number };
      depends_on?: Record<string, { condition: string }>;
      command?: string[] | string;
    }
  >;
  volumes: Record<string, unknown>;
};

function envExample(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(repoRoot, '.env.example'), 'utf8').split(/\r?\n/)) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** `${VAR}` and `${VAR:-default}` references; `$${…}` is an escaped literal for the container shell. */
function references(text: string): Array<{ name: string; fallback: string | undefined }> {
  return [...text.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)(?::?-([^}]*))?\}/g)].map((m) => ({ name: m[1]!, fallback: m[2] }));
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL, MinIO and the bucket init service', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['minio', 'minio-init', 'postgres']);
  });

  it('pins every image: PostgreSQL by major 18, MinIO and mc by release', () => {
    const images = Object.values(compose.services).map((s) => s.image);
    for (const image of images) {
      expect(image).toMatch(/:[^:]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
    expect(compose.services.postgres!.image).toMatch(/^postgres:18(\.\d+)*(-[a-z0-9]+)?$/);
    expect(compose.services.minio!.image).toMatch(/minio\/minio:RELEASE\.\d{4}-/);
    expect(compose.services['minio-init']!.image).toMatch(/minio\/mc:RELEASE\.\d{4}-/);
  });

  it('exposes the MinIO API on 9000 and its console on 9001', () => {
    const minio = compose.services.minio!;
    const containerPorts = (minio.ports ?? []).map((p) => p.split(':').at(-1));
    expect(containerPorts).toEqual(expect.arrayContaining(['9000', '9001']));
    expect(JSON.stringify(minio.command)).toContain(':9001');
  });

  it('gives the long-running services healthchecks, and the init waits for a healthy MinIO and creates the bucket', () => {
    for (const name of ['postgres', 'minio']) {
      const hc = compose.services[name]!.healthcheck;
      expect(hc, name).toBeDefined();
      expect(Array.isArray(hc!.test) ? hc!.test.join(' ') : hc!.test).toMatch(name === 'postgres' ? /pg_isready/ : /mc ready/);
    }
    const init = compose.services['minio-init']!;
    expect(init.depends_on?.minio?.condition).toBe('service_healthy');
    expect(JSON.stringify(init.command)).toMatch(/mc mb --ignore-existing/);
  });

  it('keeps data in named volumes', () => {
    const named = Object.keys(compose.volumes);
    for (const name of ['postgres', 'minio']) {
      const mounts = compose.services[name]!.volumes ?? [];
      expect(mounts.length, name).toBeGreaterThan(0);
      for (const mount of mounts) expect(named).toContain(mount.split(':')[0]);
    }
    // PostgreSQL 18 images keep data under /var/lib/postgresql/18/docker.
    expect(compose.services.postgres!.volumes![0]!.split(':')[1]).toBe('/var/lib/postgresql');
  });

  it('takes every variable from .env.example, with the same default', () => {
    const env = envExample();
    const refs = references(
      composeText
        .split('\n')
        .filter((line) => !line.trim().startsWith('#'))
        .join('\n'),
    );
    expect(refs.length).toBeGreaterThan(5);
    for (const { name, fallback } of refs) {
      expect(env.has(name), `${name} in .env.example`).toBe(true);
      if (fallback !== undefined) expect(fallback, name).toBe(env.get(name));
    }
  });

  it('documents in .env.example the variables the app reads, consistent with the services', () => {
    const env = envExample();
    for (const name of ['DATABASE_URL', 'MINIO_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'MINIO_BUCKET'])
      expect(env.has(name), name).toBe(true);
    const db = new URL(env.get('DATABASE_URL')!);
    expect(decodeURIComponent(db.username)).toBe(env.get('POSTGRES_USER'));
    expect(decodeURIComponent(db.password)).toBe(env.get('POSTGRES_PASSWORD'));
    expect(db.pathname.slice(1)).toBe(env.get('POSTGRES_DB'));
    expect(db.port).toBe(env.get('POSTGRES_PORT'));
    expect(new URL(env.get('MINIO_ENDPOINT')!).port).toBe(env.get('MINIO_API_PORT'));
  });
});
