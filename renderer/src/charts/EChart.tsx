import { useEffect, useId, useLayoutEffect, useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { ChartOption } from '../../../shared/charts';
import { echarts } from './echarts';

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)');
function subscribeMotion(callback: () => void) {
  const mq = reducedMotion();
  mq.addEventListener('change', callback);
  return () => mq.removeEventListener('change', callback);
}

/**
 * One ECharts instance in a div that follows its container's size. SVG renderer: crisp at any
 * zoom, and what the user sees is what "Export SVG" writes. For assistive technology the chart is
 * an image named `label` and described by `summary`; with `onShowTable`, Enter on the focused
 * chart switches to its table. Animations follow the option unless the user asks for less motion.
 */
export function EChart({
  option,
  label,
  summary,
  onShowTable,
  height = 320,
}: {
  option: ChartOption;
  label: string;
  summary?: string;
  onShowTable?: () => void;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const summaryId = useId();
  const still = useSyncExternalStore(subscribeMotion, () => reducedMotion().matches);

  // The size is read while React commits, before any chart writes to the page: when a screenful of
  // charts appears at once, the page is laid out once for all of them, not once per chart (ECharts
  // reads its container's size, which after the previous chart's drawing forces a new layout).
  const initialSize = useRef<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) initialSize.current = { width: el.clientWidth, height: el.clientHeight };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let size = initialSize.current ?? { width: el.clientWidth, height: el.clientHeight };
    const instance = echarts.init(el, null, { renderer: 'svg', ...size });
    chart.current = instance;
    // Given a size, ECharts keeps it: the observer passes every real change (not its first report, the size it starts with).
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round(entry!.contentRect.width);
      const height = Math.round(entry!.contentRect.height);
      if (width === size.width && height === size.height) return;
      size = { width, height };
      instance.resize(size);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(still ? { ...option, animation: false } : option, { notMerge: true });
  }, [option, still]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && onShowTable) {
      e.preventDefault();
      onShowTable();
    }
  };
  return (
    <>
      <div
        ref={ref}
        className="echart"
        role="img"
        aria-label={label}
        aria-describedby={summary ? summaryId : undefined}
        aria-keyshortcuts={onShowTable ? 'Enter' : undefined}
        tabIndex={onShowTable ? 0 : undefined}
        onKeyDown={onKeyDown}
        style={{ height }}
        data-animation={still ? 'off' : 'on'}
      />
      {summary ? (
        <p id={summaryId} className="visually-hidden" data-testid="chart-summary">
          {summary}
        </p>
      ) : null}
    </>
  );
}
