/**
 * Published runs in object storage: "Save to MinIO" for the dataset's latest run, the runs in the
 * bucket (incomplete ones flagged, with clean-up), open one (every object verified against its
 * manifest, results and charts shown), download, delete (confirmed), and the publish queue.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../../shared/api';
import type { OpenedRun, PublishQueueItem, RemoteRun } from '../../../../shared/contract/storage';
import { Dialog } from '../../components/Dialog';
import { ErrorBox } from '../../components/ErrorBox';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatDateTime, formatNumber } from '../../format';
import { useCall, useClient, useJob } from '../../hooks/studio';
import { useApp } from '../../state/app';

const PREVIEW_ROWS = 20;
const QUEUE_POLL_MS = 4000;

type Confirm = { run: RemoteRun } | null;

export default function RunsPanel({ dataset }: { dataset?: string }) {
  const { t } = useTranslation(undefined, { keyPrefix: 'runs' });
  const client = useClient();
  const app = useApp();
  const config = useCall('storage/config', {});
  const runs = useCall('storage/runs', config.data?.configured ? (dataset ? { dataset } : {}) : null, [config.data?.configured]);
  const [queueItems, setQueueItems] = useState<PublishQueueItem[]>([]);
  const [includeDataset, setIncludeDataset] = useState(false);
  const publish = useJob('storage/publish');
  const open = useJob('storage/open');
  const download = useJob('storage/download');
  const [opened, setOpened] = useState<OpenedRun | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [downloadOf, setDownloadOf] = useState<RemoteRun | null>(null);
  const [folder, setFolder] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The queue changes in the background (retries): poll it while anything waits.
  const waiting = queueItems.some((q) => q.state === 'queued' || q.state === 'publishing');
  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('storage/queue', {}).then(
        (items) => live && setQueueItems(items),
        () => undefined,
      );
    void load();
    const timer = waiting || publish.running ? setInterval(load, QUEUE_POLL_MS) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [client, waiting, publish.running, publish.result]);

  const reloadRuns = runs.reload;
  useEffect(() => {
    if (publish.result?.status === 'published') reloadRuns();
  }, [publish.result, reloadRuns]);

  // Without object storage, only the publish action says so, in one line (not a page-wide notice).
  if (config.data && !config.data.configured) {
    return (
      <section className="runs-panel runs-unavailable" aria-label={t('title')} data-testid="storage-not-configured">
        <button type="button" className="primary" disabled aria-describedby="runs-not-configured">
          {t('save')}
        </button>
        <p id="runs-not-configured" className="muted">
          {t('notConfigured')}. {t('notConfiguredBody')}{' '}
          <button type="button" className="link" onClick={() => app.navigate('settings')}>
            {t('openSettings')}
          </button>
        </p>
      </section>
    );
  }

  const onSave = async () => {
    if (!dataset) return;
    setNotice(null);
    const result = await publish.start({ dataset, includeDataset });
    if (result?.status === 'published') {
      setNotice(
        t('published', {
          objects: result.objects,
          bytes: formatBytes(result.bytes),
          prefix: result.prefix,
          uploaded: result.uploaded,
          skipped: result.skipped,
        }),
      );
    } else if (result?.status === 'queued') setNotice(t('queued', { id: result.queueId }));
  };

  const onOpen = async (run: RemoteRun) => {
    setOpened(null);
    const result = await open.start({ dataset: run.dataset, version: run.version, runId: run.runId });
    if (result) setOpened(result);
  };

  const onDelete = async (run: RemoteRun) => {
    setConfirm(null);
    setActionError(null);
    try {
      const { deleted } = await client.call('storage/delete', { dataset: run.dataset, version: run.version, runId: run.runId });
      setNotice(t('deleted', { count: deleted }));
      if (opened?.manifest.run.runId === run.runId) setOpened(null);
      runs.reload();
    } catch (err) {
      setActionError(err);
    }
  };

  const onDownload = async () => {
    const run = downloadOf;
    if (!run || !folder.trim()) return;
    setDownloadOf(null);
    const result = await download.start({ dataset: run.dataset, version: run.version, runId: run.runId, folder: folder.trim() });
    if (result) setNotice(t('downloaded', { files: result.files, bytes: formatBytes(result.bytes), folder: result.folder }));
  };

  const queueAction = async (action: 'retry' | 'remove', id: number) => {
    setActionError(null);
    try {
      if (action === 'retry') await client.call('storage/queue-retry', { id });
      else await client.call('storage/queue-remove', { id });
      setQueueItems(await client.call('storage/queue', {}));
    } catch (err) {
      setActionError(err);
    }
  };

  const phase = (p: JobProgress | null): JobProgress | null =>
    p ? { ...p, message: t(`progress.${p.phase ?? ''}`, { defaultValue: p.message ?? '' }) } : null;

  return (
    <section className="runs-panel" aria-label={t('title')}>
      <header className="page-header">
        <div>
          <h2>{t('title')}</h2>
          <p className="muted">{t('subtitle')}</p>
          {config.data?.configured ? (
            <p className="muted" data-testid="storage-where">
              {t('where', { endpoint: config.data.endpoint, bucket: config.data.bucket, source: config.data.source })}
            </p>
          ) : null}
        </div>
        <div className="page-actions">
          <label>
            <input
              type="checkbox"
              checked={includeDataset}
              onChange={(e) => setIncludeDataset(e.target.checked)}
              disabled={publish.running}
            />{' '}
            {t('includeDataset')}
          </label>
          <button
            type="button"
            className="primary"
            onClick={() => void onSave()}
            disabled={!dataset || publish.running}
            title={dataset ? t('saveHint', { dataset }) : t('pickDataset')}
          >
            {t('save')}
          </button>
          <button type="button" onClick={runs.reload}>
            {t('refresh')}
          </button>
        </div>
      </header>

      {publish.running ? <ProgressBar progress={phase(publish.progress)} label={t('publishing')} onCancel={publish.cancel} /> : null}
      {open.running ? <ProgressBar progress={phase(open.progress)} label={t('opening')} onCancel={open.cancel} /> : null}
      {download.running ? <ProgressBar progress={phase(download.progress)} label={t('downloading')} onCancel={download.cancel} /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBox error={publish.error ?? open.error ?? download.error ?? actionError ?? config.error} />

      <h3>{t('runs')}</h3>
      {runs.error ? <ErrorBox error={runs.error} onRetry={runs.reload} /> : null}
      {runs.data && runs.data.length === 0 ? <p className="muted">{t('noRuns')}</p> : null}
      {runs.data && runs.data.length > 0 ? (
        <table className="data-table runs-table" aria-label={t('runs')}>
          <thead>
            <tr>
              <th scope="col">{t('col.dataset')}</th>
              <th scope="col" className="num">
                {t('col.version')}
              </th>
              <th scope="col">{t('col.run')}</th>
              <th scope="col">{t('col.published')}</th>
              <th scope="col" className="num">
                {t('col.objects')}
              </th>
              <th scope="col" className="num">
                {t('col.size')}
              </th>
              <th scope="col">{t('col.state')}</th>
              <th scope="col">{t('col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.prefix} data-testid="remote-run" className={run.complete ? undefined : 'incomplete'}>
                <td>{run.dataset}</td>
                <td className="num">{run.version}</td>
                <td>
                  <code>{run.runId}</code>
                </td>
                <td>{formatDateTime(run.publishedAt)}</td>
                <td className="num">{formatNumber(run.objects)}</td>
                <td className="num">{formatBytes(run.bytes)}</td>
                <td>{run.complete ? t('complete') : run.manifestError ? t('brokenManifest') : t('incomplete')}</td>
                <td className="row-actions">
                  {run.complete ? (
                    <>
                      <button type="button" onClick={() => void onOpen(run)} disabled={open.running}>
                        {t('open')}
                      </button>
                      <button type="button" onClick={() => setDownloadOf(run)} disabled={download.running}>
                        {t('download')}
                      </button>
                    </>
                  ) : null}
                  <button type="button" className="danger" onClick={() => setConfirm({ run })}>
                    {run.complete ? t('delete') : t('cleanUp')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {opened ? <OpenedRunView opened={opened} onClose={() => setOpened(null)} /> : null}

      <h3>{t('queue')}</h3>
      <p className="muted">{t('queueHint')}</p>
      {queueItems.length === 0 ? <p className="muted">{t('queueEmpty')}</p> : null}
      {queueItems.length > 0 ? (
        <ul className="publish-queue" aria-label={t('queue')}>
          {queueItems.map((q) => (
            <li key={q.id} data-testid="queue-item">
              <strong>{q.dataset}</strong> <code>{q.runId}</code> · {t(`state.${q.state}`)} · {t('attempts', { count: q.attempts })}
              {q.nextAttemptAt && q.state === 'queued' ? <> · {t('nextAttempt', { when: formatDateTime(q.nextAttemptAt) })}</> : null}
              {q.lastError ? <ErrorBox error={q.lastError} compact /> : null}
              {q.state !== 'publishing' ? (
                <span className="row-actions">
                  <button type="button" onClick={() => void queueAction('retry', q.id)}>
                    {t('retry')}
                  </button>
                  <button type="button" className="danger" onClick={() => void queueAction('remove', q.id)}>
                    {t('remove')}
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}

      <Dialog
        title={confirm?.run.complete ? t('confirmDeleteTitle') : t('confirmCleanTitle')}
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        actions={
          <>
            <button type="button" onClick={() => setConfirm(null)}>
              {t('cancel')}
            </button>
            <button type="button" className="danger" onClick={() => confirm && void onDelete(confirm.run)}>
              {confirm?.run.complete ? t('delete') : t('cleanUp')}
            </button>
          </>
        }
      >
        {confirm ? (
          <p>
            {confirm.run.complete
              ? t('confirmDelete', {
                  run: confirm.run.runId,
                  dataset: confirm.run.dataset,
                  version: confirm.run.version,
                  bucket: config.data?.bucket ?? '',
                })
              : t('confirmClean', { run: confirm.run.runId, objects: confirm.run.objects })}
          </p>
        ) : null}
      </Dialog>

      <Dialog
        title={t('downloadTitle')}
        open={downloadOf !== null}
        onClose={() => setDownloadOf(null)}
        actions={
          <>
            <button type="button" onClick={() => setDownloadOf(null)}>
              {t('cancel')}
            </button>
            <button type="button" className="primary" onClick={() => void onDownload()} disabled={!folder.trim()}>
              {t('downloadStart')}
            </button>
          </>
        }
      >
        <label>
          {t('downloadFolder')}{' '}
          <input type="text" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/home/me/Downloads" />
        </label>
      </Dialog>
    </section>
  );
}

function OpenedRunView({ opened, onClose }: { opened: OpenedRun; onClose: () => void }) {
  const { t } = useTranslation(undefined, { keyPrefix: 'runs' });
  const { manifest } = opened;
  return (
    <article className="card opened-run" aria-label={`${manifest.dataset.name} ${manifest.run.runId}`}>
      <header className="page-header">
        <h3>
          {manifest.dataset.name} · v{manifest.dataset.version} · <code>{manifest.run.runId}</code>
        </h3>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </header>
      <p className="notice" data-testid="verified">
        {t('verified', { count: opened.checks.length })}
      </p>
      {opened.reportKey ? <p className="muted">{t('report', { key: opened.reportKey })}</p> : null}
      {opened.results.map((r) => (
        <section key={r.id} className="opened-result">
          <h4>{r.id}</h4>
          {r.chart ? (
            <img
              alt={r.id}
              className="opened-chart"
              src={
                r.chart.type === 'svg'
                  ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.chart.svg)}`
                  : `data:image/png;base64,${r.chart.pngBase64}`
              }
            />
          ) : null}
          {r.table ? (
            <table className="data-table">
              <thead>
                <tr>
                  {r.table.columns.map((c) => (
                    <th key={c.name} scope="col">
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.table.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
                  <tr key={i}>
                    {row.map((v, j) => (
                      <td key={j}>{v === null ? '' : String(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t('noTable', { status: r.status })}</p>
          )}
          {r.table && r.table.rows.length > PREVIEW_ROWS ? (
            <p className="muted">{t('moreRows', { count: r.table.rows.length - PREVIEW_ROWS })}</p>
          ) : null}
        </section>
      ))}
    </article>
  );
}
