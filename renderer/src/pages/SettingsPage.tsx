import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SparkConnectionTest } from '../../../shared/contract/spark';
import type { DatabricksCompute, DatabricksUpload, SecretMarker, SettingsPatch, SettingsView } from '../../../shared/contract/settings';
import type { Resources } from '../../../shared/i18n';
import { ErrorBox } from '../components/ErrorBox';
import { useCall, useClient } from '../hooks/studio';
import { currentLang, savedLanguage, setLanguage, type Lang } from '../i18n';
import { useApp } from '../state/app';
import type { ThemeMode } from '../state/theme';

type TestOutcome = { ok: true; text: string } | { ok: false; error: unknown } | null;

/** A settings form's Test and Save buttons, then what the test found and what went wrong. */
function FormActions(props: {
  testing: boolean;
  saving: boolean;
  onTest: () => Promise<void>;
  outcome: TestOutcome;
  error: unknown;
  note?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="form-actions">
        <button type="button" onClick={() => void props.onTest()} disabled={props.testing}>
          {props.testing ? t('settings.testing') : t('settings.test')}
        </button>
        <button type="submit" className="primary" disabled={props.saving}>
          {t('common.save')}
        </button>
      </div>
      {props.note ? <p className="muted">{props.note}</p> : null}
      <TestResult outcome={props.outcome} />
      <ErrorBox error={props.error} compact />
    </>
  );
}

function TestResult({ outcome }: { outcome: TestOutcome }) {
  if (!outcome) return null;
  if (outcome.ok)
    return (
      <p className="test-ok" role="status">
        ✓ {outcome.text}
      </p>
    );
  return <ErrorBox error={outcome.error} compact />;
}

/** A write-only secret: never shown back; typing replaces it, "Forget" removes it. */
function SecretField({
  label,
  marker,
  value,
  onChange,
  forget,
  onForget,
}: {
  label: string;
  marker: SecretMarker | undefined;
  value: string;
  onChange: (v: string) => void;
  forget: boolean;
  onForget: (f: boolean) => void;
}) {
  const { t } = useTranslation();
  const stored = marker?.hasSecret && !forget;
  return (
    <div className="field secret-field">
      <label>
        <span>{label}</span>
        <input
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder={
            stored
              ? t('settings.secretKept', { source: t(`settings.secretSource.${marker?.source ?? 'stored'}`) })
              : t('settings.secretNone')
          }
          onChange={(e) => {
            onChange(e.target.value);
            onForget(false);
          }}
        />
      </label>
      {marker?.hasSecret ? (
        <button type="button" className="link" onClick={() => onForget(!forget)} aria-pressed={forget}>
          {forget ? t('settings.keepSecret') : t('settings.forgetSecret')}
        </button>
      ) : null}
    </div>
  );
}

/** `undefined`: keep the stored secret; a string: replace it; `null`: forget it. */
function secretPatch(value: string, forget: boolean): string | null | undefined {
  if (forget) return null;
  return value ? value : undefined;
}

function Section({ title, children, status }: { title: string; children: ReactNode; status?: ReactNode }) {
  const id = `settings-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <header className="card-header">
        <h2 id={id}>{title}</h2>
        {status}
      </header>
      {children}
    </section>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const app = useApp();
  const settings = useCall('settings/get', {});
  const [saved, setView] = useState<SettingsView | null>(null);
  const view = saved ?? settings.data ?? null;

  return (
    <div className="page settings-page">
      <header className="page-header">
        <h1>{t('settings.title')}</h1>
      </header>
      <Section title={t('settings.appearance')}>
        <div className="field-row">
          <label className="field">
            <span>{t('settings.language')}</span>
            <select
              value={savedLanguage() ?? 'system'}
              onChange={(e) => setLanguage(e.target.value === 'system' ? null : (e.target.value as Lang))}
            >
              <option value="system">{t('settings.followSystem')}</option>
              <option value="en">English</option>
              <option value="fr">Français</option>
            </select>
          </label>
          <label className="field">
            <span>{t('settings.theme')}</span>
            <select value={app.theme.mode} onChange={(e) => app.theme.setMode(e.target.value as ThemeMode)}>
              <option value="system">{t('settings.followSystem')}</option>
              <option value="light">{t('settings.light')}</option>
              <option value="dark">{t('settings.dark')}</option>
            </select>
          </label>
        </div>
        <p className="muted">{t('settings.currentLanguage', { lang: currentLang() === 'fr' ? 'Français' : 'English' })}</p>
      </Section>
      <ErrorBox error={settings.error} onRetry={settings.reload} />
      {view ? (
        <>
          <p className="muted">{t('settings.file', { file: view.file })}</p>
          {view.secrets.persistence === 'session' ? <p className="banner banner-warn">{view.secrets.message}</p> : null}
          <DatabaseSection view={view} onSaved={setView} />
          <StorageSection view={view} onSaved={setView} />
          <DatabricksSection view={view} onSaved={setView} />
        </>
      ) : null}
    </div>
  );
}

function useSave(onSaved: (v: SettingsView) => void) {
  const client = useClient();
  const app = useApp();
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const save = async (patch: SettingsPatch) => {
    setSaving(true);
    setError(null);
    try {
      onSaved(await client.call('settings/set', patch));
      app.notify({ kind: 'success', text: t('settings.saved') });
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { save, error, saving };
}

function Effective({ configured, source, missing }: { configured: boolean; source: string | null; missing: string[] }) {
  const { t } = useTranslation();
  // The engine names where a setting came from; the tree has a word for each of its sources.
  const from = (source ?? 'settings') as keyof Resources['settings']['source'];
  return (
    <span className={configured ? 'badge badge-ok' : 'badge'}>
      {configured
        ? t('settings.configuredFrom', { source: t(`settings.source.${from}`) })
        : missing.length
          ? t('settings.missing', { fields: missing.join(', ') })
          : t('settings.notConfigured')}
    </span>
  );
}

function DatabaseSection({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const db = view.database;
  const [mode, setMode] = useState<'embedded' | 'url'>(db.mode);
  const [url, setUrl] = useState(db.mode === 'url' ? db.url : '');
  const [password, setPassword] = useState('');
  const [forget, setForget] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome>(null);
  const [testing, setTesting] = useState(false);
  const { save, error, saving } = useSave(onSaved);
  const eff = view.effective.database;

  const test = async () => {
    setTesting(true);
    setOutcome(null);
    try {
      const answer = await client.call('settings/test-database', mode === 'url' ? { url, password: password || undefined } : {});
      setOutcome(
        answer.ok
          ? { ok: true, text: t('settings.dbOk', { version: answer.serverVersion ?? '?', location: answer.location }) }
          : { ok: false, error: answer.error ?? { message: t('settings.failed') } },
      );
    } catch (err) {
      setOutcome({ ok: false, error: err });
    } finally {
      setTesting(false);
    }
  };

  return (
    <Section
      title={t('settings.postgres')}
      status={
        <span className="badge badge-ok">
          {t('settings.dbEffective', {
            mode: t(`settings.dbMode.${eff.mode}`),
            source: t(`settings.source.${eff.source}`),
            location: eff.location,
          })}
        </span>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(
            mode === 'embedded'
              ? { database: { mode: 'embedded' } }
              : { database: { mode: 'url', url, password: secretPatch(password, forget) } },
          ).then((ok) => ok && setPassword(''));
        }}
      >
        <fieldset className="radio-row">
          <legend>{t('settings.dbWhich')}</legend>
          <label className="check">
            <input type="radio" name="db-mode" checked={mode === 'embedded'} onChange={() => setMode('embedded')} />
            <span>{t('settings.dbEmbedded')}</span>
          </label>
          <label className="check">
            <input type="radio" name="db-mode" checked={mode === 'url'} onChange={() => setMode('url')} />
            <span>{t('settings.dbUrl')}</span>
          </label>
        </fieldset>
        {mode === 'url' ? (
          <>
            <label className="field">
              <span>{t('settings.url')}</span>
              <input
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="postgresql://user@host:5432/database"
                required
                pattern="postgres(ql)?://.*"
              />
            </label>
            <SecretField
              label={t('settings.password')}
              marker={db.mode === 'url' ? db.password : undefined}
              value={password}
              onChange={setPassword}
              forget={forget}
              onForget={setForget}
            />
          </>
        ) : null}
        <p className="muted">{t('settings.dbRestart')}</p>
        <FormActions testing={testing} saving={saving} onTest={test} outcome={outcome} error={error} />
      </form>
    </Section>
  );
}

function StorageSection({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const s = view.storage;
  const [form, setForm] = useState({ endpoint: s.endpoint, useTLS: s.useTLS, region: s.region, accessKey: s.accessKey, bucket: s.bucket });
  const [secret, setSecret] = useState('');
  const [forget, setForget] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome>(null);
  const [testing, setTesting] = useState(false);
  const { save, error, saving } = useSave(onSaved);

  const test = async () => {
    setTesting(true);
    setOutcome(null);
    try {
      const answer = await client.call('storage/test', { ...form, secretKey: secret || undefined });
      setOutcome({
        ok: true,
        text: t('settings.s3Ok', {
          endpoint: answer.endpoint,
          bucket: answer.bucket,
          exists: answer.bucketExists ? t('settings.bucketExists') : t('settings.bucketWillBeCreated'),
          ms: Math.round(answer.latencyMs),
        }),
      });
    } catch (err) {
      setOutcome({ ok: false, error: err });
    } finally {
      setTesting(false);
    }
  };
  const text = (key: 'endpoint' | 'region' | 'accessKey' | 'bucket', label: string, placeholder?: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={form[key]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );

  return (
    <Section title={t('settings.minio')} status={<Effective {...view.effective.storage} />}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save({ storage: { ...form, secretKey: secretPatch(secret, forget) } }).then((ok) => ok && setSecret(''));
        }}
      >
        <div className="field-grid">
          {text('endpoint', t('settings.endpoint'), 'http://localhost:9000')}
          {text('bucket', t('settings.bucket'), 'sparkpolar')}
          {text('accessKey', t('settings.accessKey'))}
          <SecretField
            label={t('settings.secretKey')}
            marker={s.secretKey}
            value={secret}
            onChange={setSecret}
            forget={forget}
            onForget={setForget}
          />
          {text('region', t('settings.region'), 'us-east-1')}
          <label className="check">
            <input type="checkbox" checked={form.useTLS} onChange={(e) => setForm({ ...form, useTLS: e.target.checked })} />
            <span>{t('settings.tls')}</span>
          </label>
        </div>
        <FormActions testing={testing} saving={saving} onTest={test} outcome={outcome} error={error} />
      </form>
    </Section>
  );
}

function DatabricksSection({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const d = view.databricks;
  const [host, setHost] = useState(d.host);
  const [authKind, setAuthKind] = useState(d.auth.kind);
  const [clientId, setClientId] = useState(d.auth.kind === 'oauth' ? d.auth.clientId : '');
  const [profile, setProfile] = useState(d.auth.kind === 'profile' ? d.auth.name : 'DEFAULT');
  const [token, setToken] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [forgetToken, setForgetToken] = useState(false);
  const [forgetClient, setForgetClient] = useState(false);
  const [compute, setCompute] = useState<DatabricksCompute>(d.compute);
  const [upload, setUpload] = useState<DatabricksUpload>(d.upload);
  const [outcome, setOutcome] = useState<TestOutcome>(null);
  const [testing, setTesting] = useState(false);
  const { save, error, saving } = useSave(onSaved);

  const auth = () =>
    authKind === 'token'
      ? { kind: 'token' as const, token: secretPatch(token, forgetToken) }
      : authKind === 'oauth'
        ? { kind: 'oauth' as const, clientId, clientSecret: secretPatch(clientSecret, forgetClient) }
        : { kind: 'profile' as const, name: profile };

  const test = async () => {
    setTesting(true);
    setOutcome(null);
    try {
      const answer = await client.call('spark/test', {});
      setOutcome(
        answer.ok
          ? { ok: true, text: t('settings.databricksOk', { detail: describeSparkTest(answer) }) }
          : { ok: false, error: answer.error ?? { message: t('settings.failed') } },
      );
    } catch (err) {
      setOutcome({ ok: false, error: err });
    } finally {
      setTesting(false);
    }
  };

  return (
    <Section title={t('settings.databricks')} status={<Effective {...view.effective.databricks} />}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save({ databricks: { host, auth: auth(), compute, upload } }).then((ok) => {
            if (ok) {
              setToken('');
              setClientSecret('');
            }
          });
        }}
      >
        <label className="field">
          <span>{t('settings.host')}</span>
          <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="https://adb-1234567890123456.7.azuredatabricks.net" />
        </label>
        <fieldset className="radio-row">
          <legend>{t('settings.auth')}</legend>
          {(['token', 'oauth', 'profile'] as const).map((kind) => (
            <label key={kind} className="check">
              <input type="radio" name="dbx-auth" checked={authKind === kind} onChange={() => setAuthKind(kind)} />
              <span>{t(`settings.authKind.${kind}`)}</span>
            </label>
          ))}
        </fieldset>
        {authKind === 'token' ? (
          <SecretField
            label={t('settings.token')}
            marker={d.auth.kind === 'token' ? d.auth.token : undefined}
            value={token}
            onChange={setToken}
            forget={forgetToken}
            onForget={setForgetToken}
          />
        ) : null}
        {authKind === 'oauth' ? (
          <div className="field-grid">
            <label className="field">
              <span>{t('settings.clientId')}</span>
              <input value={clientId} onChange={(e) => setClientId(e.target.value)} />
            </label>
            <SecretField
              label={t('settings.clientSecret')}
              marker={d.auth.kind === 'oauth' ? d.auth.clientSecret : undefined}
              value={clientSecret}
              onChange={setClientSecret}
              forget={forgetClient}
              onForget={setForgetClient}
            />
          </div>
        ) : null}
        {authKind === 'profile' ? (
          <label className="field">
            <span>{t('settings.profile')}</span>
            <input value={profile} onChange={(e) => setProfile(e.target.value)} required />
          </label>
        ) : null}

        <fieldset className="radio-row">
          <legend>{t('settings.compute')}</legend>
          <label className="check">
            <input
              type="radio"
              name="dbx-compute"
              checked={compute.kind === 'serverless'}
              onChange={() => setCompute({ kind: 'serverless' })}
            />
            <span>{t('settings.computeKind.serverless')}</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="dbx-compute"
              checked={compute.kind === 'cluster'}
              onChange={() => setCompute({ kind: 'cluster', clusterId: '' })}
            />
            <span>{t('settings.computeKind.cluster')}</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="dbx-compute"
              checked={compute.kind === 'new-cluster'}
              onChange={() => setCompute({ kind: 'new-cluster', sparkVersion: '15.4.x-scala2.12', nodeType: 'i3.xlarge', workers: 1 })}
            />
            <span>{t('settings.computeKind.newCluster')}</span>
          </label>
        </fieldset>
        {compute.kind === 'cluster' ? (
          <label className="field">
            <span>{t('settings.clusterId')}</span>
            <input value={compute.clusterId} onChange={(e) => setCompute({ kind: 'cluster', clusterId: e.target.value })} required />
          </label>
        ) : null}
        {compute.kind === 'new-cluster' ? (
          <div className="field-grid">
            <label className="field">
              <span>{t('settings.sparkVersion')}</span>
              <input value={compute.sparkVersion} onChange={(e) => setCompute({ ...compute, sparkVersion: e.target.value })} required />
            </label>
            <label className="field">
              <span>{t('settings.nodeType')}</span>
              <input value={compute.nodeType} onChange={(e) => setCompute({ ...compute, nodeType: e.target.value })} required />
            </label>
            <label className="field">
              <span>{t('settings.workers')}</span>
              <input
                type="number"
                min={0}
                max={1000}
                value={compute.workers}
                onChange={(e) => setCompute({ ...compute, workers: Number(e.target.value) })}
              />
            </label>
          </div>
        ) : null}

        <fieldset className="radio-row">
          <legend>{t('settings.upload')}</legend>
          <label className="check">
            <input
              type="radio"
              name="dbx-upload"
              checked={upload.kind === 'volume'}
              onChange={() =>
                setUpload({ kind: 'volume', path: upload.kind === 'volume' ? upload.path : '/Volumes/main/default/sparkpolar' })
              }
            />
            <span>{t('settings.uploadKind.volume')}</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="dbx-upload"
              checked={upload.kind === 'dbfs'}
              onChange={() => setUpload({ kind: 'dbfs', path: upload.kind === 'dbfs' ? upload.path : '/FileStore/sparkpolar' })}
            />
            <span>{t('settings.uploadKind.dbfs')}</span>
          </label>
        </fieldset>
        <label className="field">
          <span>{t('settings.uploadPath')}</span>
          <input value={upload.path} onChange={(e) => setUpload({ ...upload, path: e.target.value })} />
        </label>

        <FormActions testing={testing} saving={saving} onTest={test} outcome={outcome} error={error} note={t('settings.testSaved')} />
      </form>
    </Section>
  );
}

function describeSparkTest(answer: SparkConnectionTest): string {
  const parts = [
    answer.host,
    answer.auth,
    answer.source,
    answer.storage ? `${answer.storage.kind}: ${answer.storage.root}` : null,
    `${Math.round(answer.ms)} ms`,
  ];
  return parts.filter(Boolean).join(' · ');
}
