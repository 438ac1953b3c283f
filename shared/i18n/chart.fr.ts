/** Les mots des graphiques, clé pour clé ceux de chart.en.ts (le compilateur le vérifie). */
import type { Resources } from './types';

export const chartFr: Resources['chart'] = {
  other: 'Autres',
  otherBucket: '(autres)',
  empty: '(vide)',
  summary: {
    colon: '\u202f: ',
    more: 'et {{n}} autres',
    bars: '{{n}} barres',
    from: 'de {{from}} à {{to}}',
    series: '{{n}} séries\u202f: {{names}}',
    highest: 'le plus haut',
    lowest: 'le plus bas',
    matrix: '{{rows}} × {{cols}} cellules',
  },
  sweep: {
    timeTitle: 'Temps selon les lignes (log-log)',
    memoryTitle: 'Mémoire maximale selon les lignes (Polars)',
    rows: 'Lignes',
    time: 'Chargement + calcul (ms)',
    memory: 'Mémoire résidente maximale (Mio)',
    spread: 'dispersion',
    fit: 'ajustement',
    emulated: 'émulé',
    crossover: 'Croisement',
    machine: 'Cette machine',
    usable: 'Utilisable',
    limit: 'Au-delà, utilisez Spark',
    projection: 'projection',
  },
};
