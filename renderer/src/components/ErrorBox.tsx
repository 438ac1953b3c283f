import { useTranslation } from 'react-i18next';
import { ERROR_CODES, hasStandardFix } from '../../../shared/errors';

interface Shown {
  code: string | null;
  message: string;
  fix: string | null;
}

export function describeError(error: unknown): Shown {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { code?: unknown; message: unknown; fix?: unknown };
    const code = typeof e.code === 'string' ? e.code : null;
    const fix = typeof e.fix === 'string' && e.fix ? e.fix : code && hasStandardFix(code) ? ERROR_CODES[code] : null;
    return { code, message: String(e.message), fix };
  }
  return { code: null, message: String(error), fix: null };
}

/** An engine error as the user should see it: what happened and what to do about it. */
export function ErrorBox({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { code, message, fix } = describeError(error);
  // A fix the engine wrote for this very error wins, as written; the standard fix of a code is
  // translated (every language has one for each code that has one: the compiler checks the key).
  // A code without a standard fix shows the engine's fix if it wrote one, else none.
  const translatedFix = code && hasStandardFix(code) && (!fix || fix === ERROR_CODES[code]) ? t(`errors.fix.${code}`) : fix;
  return (
    <div className={compact ? 'error-box compact' : 'error-box'} role="alert">
      <div className="error-message">
        <strong>{code === 'CANCELLED' ? t('errors.cancelled') : t('errors.title')}</strong> {message}
      </div>
      {translatedFix && code !== 'CANCELLED' ? (
        <div className="error-fix">
          <span className="error-fix-label">{t('errors.fix.label')}</span> {translatedFix}
        </div>
      ) : null}
      {code ? <div className="error-code">{code}</div> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
