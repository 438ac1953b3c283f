import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../host/types';
import { useCall, useStudio } from '../hooks/studio';

/** The host's link to the engine (browser mode's WebSocket, Electron's MessagePort). */
function useConnection(): ConnectionState {
  const { studio } = useStudio();
  const subscribe = useCallback((onChange: () => void) => studio.host.onConnection?.(onChange) ?? (() => undefined), [studio]);
  return useSyncExternalStore(subscribe, () => studio.host.connectionState?.() ?? 'connected');
}

/** Engine status from the engine itself (system/info): PostgreSQL and Polars versions, or what is wrong. */
export function EngineStatus() {
  const { t } = useTranslation();
  const connection = useConnection();
  const info = useCall('system/info', {});
  const [open, setOpen] = useState(false);
  const db = info.data?.database;
  const state =
    connection === 'disconnected'
      ? 'down'
      : connection === 'connecting'
        ? 'pending'
        : info.error || (db && !db.serverVersion)
          ? 'error'
          : info.data
            ? 'ok'
            : 'pending';
  const summary =
    state === 'down'
      ? t('engine.disconnected')
      : state === 'pending'
        ? t('engine.connecting')
        : state === 'error'
          ? t('engine.databaseDown')
          : t('engine.summary', { pg: db?.version ?? '?', polars: info.data?.polars ?? '?' });
  return (
    <div className="engine-status">
      <button
        type="button"
        className={`status-pill status-${state}`}
        aria-expanded={open}
        aria-label={t('engine.label', { summary })}
        onClick={() => setOpen(!open)}
        data-testid="engine-status"
      >
        <span className="status-dot" aria-hidden="true" />
        <span>{summary}</span>
      </button>
      {open && info.data ? (
        <div className="status-details" role="dialog" aria-label={t('engine.details')}>
          <dl>
            <dt>{t('engine.postgres')}</dt>
            <dd data-testid="engine-pg-version">{db?.serverVersion ?? db?.error ?? '–'}</dd>
            <dt>{t('engine.databaseMode')}</dt>
            <dd>
              {db?.mode === 'embedded' ? t('engine.embedded') : t('engine.external')} · {db?.location}
            </dd>
            <dt>{t('engine.polars')}</dt>
            <dd>{info.data.polars}</dd>
            <dt>{t('engine.node')}</dt>
            <dd>{info.data.node}</dd>
            <dt>{t('engine.home')}</dt>
            <dd>{info.data.home}</dd>
            <dt>{t('engine.storage')}</dt>
            <dd>
              {info.data.storage.configured
                ? `${info.data.storage.endpoint ?? ''} ${info.data.storage.bucket ?? ''}`
                : t('engine.notConfigured')}
            </dd>
            <dt>{t('engine.databricks')}</dt>
            <dd>{info.data.databricks.configured ? info.data.databricks.host : t('engine.notConfigured')}</dd>
          </dl>
        </div>
      ) : null}
    </div>
  );
}

/** A visible notice while the engine connection is down or after the engine restarted. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { studio } = useStudio();
  const connection = useConnection();
  const [restarted, setRestarted] = useState<string | null>(null);
  const [wasDown, setWasDown] = useState(false);
  useEffect(() => {
    const off1 = studio.host.onConnection?.((state) => {
      if (state === 'disconnected') setWasDown(true);
    });
    const off2 = studio.host.onHostEvent?.((event) => {
      if (event.type === 'engine/restarted') setRestarted(event.reason);
    });
    return () => {
      off1?.();
      off2?.();
    };
  }, [studio]);
  if (connection === 'disconnected') {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-lost">
        {t('engine.lost')}
      </div>
    );
  }
  if (restarted || (wasDown && connection === 'connected')) {
    return (
      <div className="banner banner-warn" role="status">
        {restarted ? t('engine.restarted', { reason: restarted }) : t('engine.reconnected')}
        <button
          type="button"
          onClick={() => {
            setRestarted(null);
            setWasDown(false);
          }}
        >
          {t('common.dismiss')}
        </button>
      </div>
    );
  }
  return null;
}
