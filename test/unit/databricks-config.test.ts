/**
 * Where the Databricks connection comes from (variables, ~/.databrickscfg profiles, settings, an
 * explicit profile), what is shown of it (never a secret), and the tolerant error parsing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, resolveDatabricksConfig } from '../../electron/engine/spark/config';
import { classify, databricksError, parseErrorBody } from '../../electron/engine/spark/databricks-errors';
import { StudioError } from '../../shared/errors';

function home(cfg?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbx-cfg-'));
  if (cfg !== undefined) fs.writeFileSync(path.join(dir, '.databrickscfg'), cfg);
  return dir;
}

const CFG = `[DEFAULT]
host = https://default.cloud.databricks.com/
token = dapiDEFAULT

[prod]
host = prod.cloud.databricks.com
client_id = sp-prod
client_secret = secret-prod
cluster_id = 0101-prod
sparkpolar_volume = /Volumes/prod/analytics/sp

[broken]
host = https://broken.example
`;

function thrown(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('Databricks configuration', () => {
  it('reads the DEFAULT profile of ~/.databrickscfg when nothing else is set', () => {
    const c = resolveDatabricksConfig({ env: { HOME: home(CFG) } });
    expect(c).toMatchObject({
      host: 'https://default.cloud.databricks.com',
      auth: { kind: 'token', token: 'dapiDEFAULT' },
      profile: 'DEFAULT',
      clusterId: null,
    });
    expect(c.source).toContain('profile DEFAULT');
  });

  it('honours DATABRICKS_CONFIG_FILE and DATABRICKS_CONFIG_PROFILE, with OAuth M2M and SparkPolar keys', () => {
    const dir = home();
    const file = path.join(dir, 'other.cfg');
    fs.writeFileSync(file, CFG);
    const c = resolveDatabricksConfig({ env: { HOME: dir, DATABRICKS_CONFIG_FILE: file, DATABRICKS_CONFIG_PROFILE: 'prod' } });
    expect(c).toMatchObject({
      host: 'https://prod.cloud.databricks.com',
      auth: { kind: 'oauth-m2m', clientId: 'sp-prod', clientSecret: 'secret-prod' },
      clusterId: '0101-prod',
      volume: '/Volumes/prod/analytics/sp',
      profile: 'prod',
    });
    expect(
      thrown(() => resolveDatabricksConfig({ env: { HOME: dir, DATABRICKS_CONFIG_FILE: file, DATABRICKS_CONFIG_PROFILE: 'nope' } }))
        .message,
    ).toContain('"nope"');
  });

  it('lets the variables win over settings, and an explicit profile win over both', () => {
    const env = { HOME: home(CFG), DATABRICKS_HOST: 'env.example.com', DATABRICKS_TOKEN: 'dapiENV', SPARKPOLAR_DATABRICKS_POLL_MS: '25' };
    const settings = { host: 'https://settings.example.com', token: 'dapiSETTINGS', volume: '/Volumes/a/b/c' };
    const fromEnv = resolveDatabricksConfig({ env, settings });
    expect(fromEnv).toMatchObject({
      host: 'https://env.example.com',
      auth: { token: 'dapiENV' },
      source: 'environment',
      pollIntervalMs: 25,
      volume: '/Volumes/a/b/c',
    });
    const fromSettings = resolveDatabricksConfig({ env: { HOME: home(CFG) }, settings });
    expect(fromSettings).toMatchObject({ host: 'https://settings.example.com', auth: { token: 'dapiSETTINGS' }, source: 'settings' });
    const explicit = resolveDatabricksConfig({ env, settings, profile: 'prod' });
    expect(explicit).toMatchObject({ host: 'https://prod.cloud.databricks.com', auth: { kind: 'oauth-m2m' }, profile: 'prod' });
    // A settings host never borrows a token from elsewhere.
    expect(thrown(() => resolveDatabricksConfig({ env: { HOME: home() }, settings: { host: 'x.example.com' } })).code).toBe(
      'DATABRICKS_NOT_CONFIGURED',
    );
  });

  it('says precisely what is missing, and describes the configuration without secrets', () => {
    const empty = home();
    expect(thrown(() => resolveDatabricksConfig({ env: { HOME: empty } })).message).toContain('No Databricks host');
    expect(thrown(() => resolveDatabricksConfig({ env: { HOME: home(CFG) }, profile: 'broken' })).message).toContain(
      'No token or OAuth client',
    );
    expect(
      thrown(() => resolveDatabricksConfig({ env: { HOME: empty, DATABRICKS_HOST: 'h', DATABRICKS_CLIENT_ID: 'id' } })).message,
    ).toContain('client secret');
    const view = describeConfig({ env: { HOME: home(CFG), DATABRICKS_CONFIG_PROFILE: 'prod' } });
    expect(view).toMatchObject({ configured: true, auth: 'oauth-m2m', clusterId: '0101-prod', profiles: ['DEFAULT', 'prod', 'broken'] });
    expect(JSON.stringify(view)).not.toMatch(/secret-prod|dapiDEFAULT/);
    expect(describeConfig({ env: { HOME: empty } })).toMatchObject({ configured: false, profiles: [] });
  });
});

describe('Databricks error bodies', () => {
  it('parses the JSON, numeric, OAuth, HTML, plain-text and empty forms', () => {
    expect(parseErrorBody('{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run 5 does not exist."}')).toEqual({
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Run 5 does not exist.',
    });
    expect(parseErrorBody('{"error_code": 403, "message": "Invalid access token."}')).toEqual({
      errorCode: '403',
      message: 'Invalid access token.',
    });
    expect(parseErrorBody('{"error":"invalid_client","error_description":"Client authentication failed"}')).toEqual({
      errorCode: 'invalid_client',
      message: 'Client authentication failed',
    });
    expect(
      parseErrorBody(
        '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>',
        'text/html',
      ).message,
    ).toBe('503 Service Unavailable: Service Unavailable');
    expect(parseErrorBody('TEMPORARILY_UNAVAILABLE: try later')).toEqual({ errorCode: 'TEMPORARILY_UNAVAILABLE', message: 'try later' });
    expect(parseErrorBody('')).toEqual({ errorCode: '', message: '' });
    expect(parseErrorBody('x'.repeat(1000)).message.length).toBeLessThanOrEqual(300);
  });

  it('maps statuses and codes to the app codes', () => {
    const cases: Array<[number, string, string, string]> = [
      [403, '403', 'Invalid access token.', 'DATABRICKS_AUTH_FAILED'],
      [401, '', '', 'DATABRICKS_AUTH_FAILED'],
      [403, 'PERMISSION_DENIED', 'no access', 'DATABRICKS_PERMISSION_DENIED'],
      [429, 'REQUEST_LIMIT_EXCEEDED', '', 'DATABRICKS_RATE_LIMITED'],
      [404, '', '', 'DATABRICKS_NOT_FOUND'],
      [400, 'INVALID_PARAMETER_VALUE', 'Run 7 does not exist', 'DATABRICKS_NOT_FOUND'],
      [400, 'INVALID_STATE', 'throttled', 'DATABRICKS_INVALID'],
      [409, 'RESOURCE_ALREADY_EXISTS', '', 'DATABRICKS_INVALID'],
      [503, '', '', 'DATABRICKS_UNAVAILABLE'],
      [0, '', '', 'DATABRICKS_UNAVAILABLE'],
    ];
    for (const [status, errorCode, message, code] of cases)
      expect(classify(status, { errorCode, message }), `${status} ${errorCode}`).toBe(code);
    const err = databricksError(
      400,
      { errorCode: 'INVALID_STATE', message: 'busy' },
      { method: 'POST', path: '/api/2.2/jobs/runs/submit' },
    );
    expect(err.message).toBe('Databricks rejected the request (POST /api/2.2/jobs/runs/submit): INVALID_STATE: busy');
    expect(err.details).toMatchObject({ status: 400, errorCode: 'INVALID_STATE' });
  });
});
