/** Chart files made in the renderer from the same option the panel draws (with its title). */
import type { ChartOption } from '../../../shared/charts';
import { echarts } from './echarts';

const WIDTH = 960;
const HEIGHT = 540;

function offscreen(renderer: 'svg' | 'canvas', option: ChartOption) {
  const el = document.createElement('div');
  const chart = echarts.init(el, null, { renderer, width: WIDTH, height: HEIGHT });
  chart.setOption({ ...option, animation: false });
  return chart;
}

export function chartSvgBlob(option: ChartOption): Blob {
  const chart = offscreen('svg', option);
  try {
    return new Blob([chart.renderToSVGString()], { type: 'image/svg+xml' });
  } finally {
    chart.dispose();
  }
}

export function chartPngBlob(option: ChartOption, background: string): Blob {
  const chart = offscreen('canvas', option);
  try {
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background });
    const bytes = atob(url.slice(url.indexOf(',') + 1));
    const array = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: 'image/png' });
  } finally {
    chart.dispose();
  }
}

export function chartSvgText(option: ChartOption, width = WIDTH, height = HEIGHT): string {
  const el = document.createElement('div');
  const chart = echarts.init(el, null, { renderer: 'svg', width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
