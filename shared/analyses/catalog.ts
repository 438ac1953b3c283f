/**
 * The analysis catalog, as data. The UI, the CLI, the Polars runner, the Spark job and the DuckDB
 * oracle all read this one list. Ids are stable: never rename one, add a new entry instead.
 *
 * Columns are named by their CSV display header (`DatasetColumn.name`); engines resolve them to
 * SQL identifiers through the dataset's catalog columns.
 */
import type { ColumnType } from '../types';
import { NUMERIC_TYPES } from '../types';
import type { AnalysisSpec, ChartKind, ColumnRequirement, Dimension, ParamSpec, ResultColumnSpec, Text } from './types';
import { CRASH, ORIGINAL_NULL_DROP_COLUMNS, dimensionColumns, dimensionName } from './crash';

const NUMERIC: ColumnType[] = [...NUMERIC_TYPES];
const t = (en: string, fr: string): Text => ({ en, fr });

const topN = (value: number): ParamSpec => ({
  name: 'topN',
  kind: 'integer',
  label: t('Top N (0 = all)', 'N premiers (0 = tous)'),
  default: value,
  min: 0,
  max: 10_000,
});

/** Result columns of a group count over these dimension names. */
const groupCountColumns = (names: string[]): ResultColumnSpec[] => [
  ...names.map((name) => ({ name, type: 'source' as const })),
  { name: 'count', type: 'integer' },
  { name: 'share', type: 'float' },
  { name: 'other', type: 'boolean' },
];

interface GroupCountDef {
  id: string;
  title: Text;
  description: Text;
  dimensions: Dimension[];
  order?: 'count' | 'key';
  topN: number;
  chart: ChartKind;
  original?: boolean;
}

function groupCount(def: GroupCountDef): AnalysisSpec {
  const requires: ColumnRequirement[] = [];
  for (const d of def.dimensions) {
    for (const column of dimensionColumns(d)) {
      // A derived age computes with the years; a plain dimension accepts any type.
      if (!requires.some((r) => r.column === column)) requires.push('column' in d ? { column } : { column, types: NUMERIC });
    }
  }
  const spec: AnalysisSpec = {
    id: def.id,
    category: 'descriptive',
    title: def.title,
    description: def.description,
    requires,
    params: [topN(def.topN)],
    resultColumns: groupCountColumns(def.dimensions.map(dimensionName)),
    chart: def.chart,
    stage: 'cleaned',
    op: { kind: 'group-count', dimensions: def.dimensions, order: def.order ?? 'count' },
  };
  if (def.original) spec.original = true;
  return spec;
}

interface TrendDef {
  id: string;
  dimension: Dimension;
  title: Text;
  description: Text;
  order?: 'overall-count' | 'key';
  topN: number;
}

function trend(def: TrendDef): AnalysisSpec {
  const requires: ColumnRequirement[] = [{ column: CRASH.year, types: NUMERIC }];
  for (const column of dimensionColumns(def.dimension)) {
    if (!requires.some((r) => r.column === column)) requires.push('column' in def.dimension ? { column } : { column, types: NUMERIC });
  }
  return {
    id: def.id,
    category: 'trends',
    title: def.title,
    description: def.description,
    requires,
    params: [topN(def.topN)],
    resultColumns: [
      { name: CRASH.year, type: 'source' },
      { name: dimensionName(def.dimension), type: 'source' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      { name: 'other', type: 'boolean' },
    ],
    chart: 'stacked-bar',
    stage: 'cleaned',
    op: { kind: 'trend', by: CRASH.year, dimension: def.dimension, order: def.order ?? 'overall-count' },
  };
}

const CORRELATION_NUMERIC = [CRASH.year, CRASH.vehicleYear, CRASH.occupants, CRASH.cylinders];
const CRAMERS_COLUMNS = [
  CRASH.bodyType,
  CRASH.registrationClass,
  CRASH.action,
  CRASH.direction,
  CRASH.fuel,
  CRASH.state,
  CRASH.factor1Description,
  CRASH.factor2Description,
  CRASH.eventType,
];

const pairColumns: ResultColumnSpec[] = [
  { name: 'column_a', type: 'text' },
  { name: 'column_b', type: 'text' },
  { name: 'value', type: 'float' },
  { name: 'n', type: 'integer' },
];

export const ANALYSES: AnalysisSpec[] = [
  // ------------------------------------------------------------------ exploration
  {
    id: 'explore-counts',
    category: 'exploration',
    title: t('Rows and columns', 'Lignes et colonnes'),
    description: t('How many rows and columns the dataset has.', 'Nombre de lignes et de colonnes du jeu de données.'),
    requires: [],
    params: [],
    resultColumns: [
      { name: 'rows', type: 'integer' },
      { name: 'columns', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    stage: 'prepared',
    op: { kind: 'counts' },
  },
  {
    id: 'explore-schema',
    category: 'exploration',
    title: t('Schema', 'Schéma'),
    description: t('Each column with its position and inferred type.', 'Chaque colonne avec sa position et son type déduit.'),
    requires: [],
    params: [],
    resultColumns: [
      { name: 'position', type: 'integer' },
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
    ],
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'schema' },
  },
  {
    id: 'explore-head',
    category: 'exploration',
    title: t('First rows', 'Premières lignes'),
    description: t('The first rows in file order, like show(5).', 'Les premières lignes dans l’ordre du fichier, comme show(5).'),
    requires: [],
    params: [{ name: 'n', kind: 'integer', label: t('Rows', 'Lignes'), default: 5, min: 1, max: 1000 }],
    resultColumns: 'dataset-columns',
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'head' },
  },
  {
    id: 'explore-describe',
    category: 'exploration',
    title: t('Describe', 'Description statistique'),
    description: t(
      'Per column: count, nulls, mean, std, min, quartiles, max; distinct and most frequent value for text.',
      'Par colonne : effectif, nuls, moyenne, écart-type, min, quartiles, max ; valeurs distinctes et la plus fréquente pour le texte.',
    ),
    requires: [],
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'nulls', type: 'integer' },
      { name: 'mean', type: 'float' },
      { name: 'std', type: 'float' },
      { name: 'min', type: 'float' },
      { name: 'p25', type: 'float' },
      { name: 'p50', type: 'float' },
      { name: 'p75', type: 'float' },
      { name: 'max', type: 'float' },
      { name: 'distinct', type: 'integer' },
      { name: 'top', type: 'text' },
      { name: 'top_count', type: 'integer' },
    ],
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'describe' },
  },
  // ------------------------------------------------------------------ cleaning
  {
    id: 'clean-nulls',
    category: 'cleaning',
    title: t('Nulls per column', 'Valeurs nulles par colonne'),
    description: t('Count and share of empty values in each column.', 'Nombre et part de valeurs vides dans chaque colonne.'),
    requires: [],
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'nulls', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'hbar',
    original: true,
    stage: 'prepared',
    op: { kind: 'nulls' },
  },
  {
    id: 'clean-sentinels',
    category: 'cleaning',
    title: t('Sentinel values per column', 'Valeurs sentinelles par colonne'),
    description: t(
      'Placeholder values (Not Entered, Unknown, None, …) and footnoted values ending in * per text column.',
      'Valeurs de remplissage (Not Entered, Unknown, None, …) et valeurs annotées finissant par * par colonne texte.',
    ),
    requires: [],
    requiresAnyOf: { types: ['text'], min: 1 },
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'value', type: 'text' },
      { name: 'kind', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'table',
    stage: 'raw',
    op: { kind: 'sentinels' },
  },
  {
    id: 'clean-null-drop',
    category: 'cleaning',
    title: t('Original null-row drop', 'Suppression des lignes nulles (original)'),
    description: t(
      'Rows before and after dropping rows with a null in the original seven columns.',
      'Lignes avant et après la suppression des lignes ayant un nul dans les sept colonnes d’origine.',
    ),
    requires: ORIGINAL_NULL_DROP_COLUMNS.map((column) => ({ column })),
    params: [],
    resultColumns: [
      { name: 'rows_before', type: 'integer' },
      { name: 'rows_after', type: 'integer' },
      { name: 'dropped', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    stage: 'prepared',
    op: { kind: 'null-drop', columns: ORIGINAL_NULL_DROP_COLUMNS },
  },
  {
    id: 'clean-duplicates',
    category: 'cleaning',
    title: t('Duplicate rows', 'Lignes en double'),
    description: t(
      'Rows identical in every column (count − distinct count).',
      'Lignes identiques sur toutes les colonnes (effectif − effectif distinct).',
    ),
    requires: [],
    params: [],
    resultColumns: [
      { name: 'rows', type: 'integer' },
      { name: 'distinct_rows', type: 'integer' },
      { name: 'duplicate_rows', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    // The original counted duplicates on the raw frame, before its null-row drop.
    stage: 'raw',
    op: { kind: 'duplicates' },
  },
  {
    id: 'clean-duplicate-vins',
    category: 'cleaning',
    title: t('Duplicate VINs', 'VIN en double'),
    description: t('Partial VIN values that occur on more than one row.', 'Valeurs de VIN partiel présentes sur plusieurs lignes.'),
    requires: [{ column: CRASH.vin }],
    params: [],
    resultColumns: [
      { name: 'rows_with_vin', type: 'integer' },
      { name: 'distinct_vins', type: 'integer' },
      { name: 'duplicated_vins', type: 'integer' },
      { name: 'rows_with_duplicated_vin', type: 'integer' },
      { name: 'excess_rows', type: 'integer' },
    ],
    chart: 'kpi',
    stage: 'cleaned',
    op: { kind: 'duplicate-values', column: CRASH.vin },
  },
  {
    id: 'clean-out-of-range',
    category: 'cleaning',
    title: t('Out-of-range values', 'Valeurs hors limites'),
    description: t(
      'Vehicle years before 1900 or after the crash year + 1, too many occupants or cylinders.',
      'Années de véhicule avant 1900 ou après l’année de l’accident + 1, trop d’occupants ou de cylindres.',
    ),
    requires: [
      { column: CRASH.year, types: NUMERIC },
      { column: CRASH.vehicleYear, types: NUMERIC },
      { column: CRASH.occupants, types: NUMERIC },
      { column: CRASH.cylinders, types: NUMERIC },
    ],
    params: [
      { name: 'minVehicleYear', kind: 'integer', label: t('Earliest vehicle year', 'Première année de véhicule'), default: 1900 },
      { name: 'maxOccupants', kind: 'integer', label: t('Most occupants', 'Nombre maximal d’occupants'), default: 20, min: 0 },
      { name: 'maxCylinders', kind: 'integer', label: t('Most cylinders', 'Nombre maximal de cylindres'), default: 16, min: 0 },
    ],
    resultColumns: [
      { name: 'rule', type: 'text' },
      { name: 'column', type: 'text' },
      { name: 'limit', type: 'integer' },
      { name: 'rows', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'hbar',
    stage: 'prepared',
    op: {
      kind: 'out-of-range',
      rules: [
        {
          id: 'vehicle-year-too-old',
          column: CRASH.vehicleYear,
          test: 'below',
          limit: 'minVehicleYear',
          label: t('Vehicle year too old', 'Année de véhicule trop ancienne'),
        },
        {
          id: 'vehicle-year-after-crash',
          column: CRASH.vehicleYear,
          test: 'aboveColumnPlus',
          limit: 1,
          otherColumn: CRASH.year,
          label: t('Vehicle year after crash year + 1', 'Année de véhicule après l’année de l’accident + 1'),
        },
        {
          id: 'occupants-negative',
          column: CRASH.occupants,
          test: 'below',
          limit: 0,
          label: t('Negative occupants', 'Occupants négatifs'),
        },
        {
          id: 'occupants-too-many',
          column: CRASH.occupants,
          test: 'above',
          limit: 'maxOccupants',
          label: t('Too many occupants', 'Trop d’occupants'),
        },
        {
          id: 'cylinders-negative',
          column: CRASH.cylinders,
          test: 'below',
          limit: 0,
          label: t('Negative cylinders', 'Cylindres négatifs'),
        },
        {
          id: 'cylinders-too-many',
          column: CRASH.cylinders,
          test: 'above',
          limit: 'maxCylinders',
          label: t('Too many cylinders', 'Trop de cylindres'),
        },
      ],
    },
  },
  {
    id: 'clean-make-merge',
    category: 'cleaning',
    title: t('Make codes merged into brands', 'Codes de marque regroupés'),
    description: t(
      'Which raw make codes the make merge turns into which brand, with row counts.',
      'Quels codes de marque bruts le regroupement transforme en quelle marque, avec les effectifs.',
    ),
    requires: [{ column: CRASH.make }],
    params: [],
    resultColumns: [
      { name: 'brand', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'rows', type: 'integer' },
    ],
    chart: 'table',
    stage: 'raw',
    op: { kind: 'make-merge', column: CRASH.make },
  },
  // ------------------------------------------------------------------ descriptive (the original twelve and more)
  groupCount({
    id: 'desc-body-type',
    title: t('Vehicle body type', 'Type de carrosserie'),
    description: t('Vehicles per body type.', 'Véhicules par type de carrosserie.'),
    dimensions: [{ column: CRASH.bodyType }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-crash-year',
    title: t('Crash year', 'Année de l’accident'),
    description: t('Vehicles per crash year, in year order.', 'Véhicules par année d’accident, dans l’ordre des années.'),
    dimensions: [{ column: CRASH.year }],
    order: 'key',
    topN: 0,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-occupants',
    title: t('Number of occupants', 'Nombre d’occupants'),
    description: t('Vehicles per number of occupants.', 'Véhicules par nombre d’occupants.'),
    dimensions: [{ column: CRASH.occupants }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-factor1',
    title: t('Contributing factor 1', 'Facteur contributif 1'),
    description: t(
      'Vehicles per factor 1 category (HUMAN, ENVMT, VEHICLE), as the original grouped them.',
      'Véhicules par catégorie du facteur 1 (HUMAN, ENVMT, VEHICLE), comme l’original.',
    ),
    dimensions: [{ column: CRASH.factor1 }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-factor1-description',
    title: t('Contributing factor 1 with its description', 'Facteur contributif 1 et sa description'),
    description: t(
      'Vehicles per factor 1 category and its description (the factor itself).',
      'Véhicules par catégorie du facteur 1 et sa description (le facteur lui-même).',
    ),
    dimensions: [{ column: CRASH.factor1 }, { column: CRASH.factor1Description }],
    topN: 20,
    chart: 'hbar',
  }),
  groupCount({
    id: 'desc-factor-pair',
    title: t('Contributing factor 1 × factor 2', 'Facteur contributif 1 × facteur 2'),
    description: t(
      'Vehicles per pair of factor categories, as the original grouped them.',
      'Véhicules par paire de catégories de facteurs, comme l’original.',
    ),
    dimensions: [{ column: CRASH.factor1 }, { column: CRASH.factor2 }],
    topN: 20,
    chart: 'heatmap',
    original: true,
  }),
  groupCount({
    id: 'desc-factor-pair-descriptions',
    title: t('Factor 1 × factor 2 descriptions', 'Descriptions des facteurs 1 × 2'),
    description: t('Vehicles per pair of factor descriptions.', 'Véhicules par paire de descriptions de facteurs.'),
    dimensions: [{ column: CRASH.factor1Description }, { column: CRASH.factor2Description }],
    topN: 25,
    chart: 'heatmap',
  }),
  groupCount({
    id: 'desc-state',
    title: t('State of registration', 'État d’immatriculation'),
    description: t('Vehicles per registration state.', 'Véhicules par État d’immatriculation.'),
    dimensions: [{ column: CRASH.state }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-direction',
    title: t('Direction of travel', 'Direction de déplacement'),
    description: t('Vehicles per direction of travel.', 'Véhicules par direction de déplacement.'),
    dimensions: [{ column: CRASH.direction }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-vehicle-age',
    title: t('Vehicle age at the crash', 'Âge du véhicule lors de l’accident'),
    description: t('Vehicles per age, crash year − vehicle year.', 'Véhicules par âge, année de l’accident − année du véhicule.'),
    dimensions: [{ derived: 'vehicle-age' }],
    topN: 0,
    chart: 'bar',
  }),
  groupCount({
    id: 'desc-vehicle-age-2025',
    title: t('Vehicle age (2025 − vehicle year, original)', 'Âge du véhicule (2025 − année, original)'),
    description: t('The original notebook’s age: 2025 − vehicle year.', 'L’âge du notebook d’origine : 2025 − année du véhicule.'),
    dimensions: [{ derived: 'vehicle-age-2025' }],
    topN: 0,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-fuel',
    title: t('Fuel type', 'Carburant'),
    description: t('Vehicles per fuel type.', 'Véhicules par type de carburant.'),
    dimensions: [{ column: CRASH.fuel }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-cylinders',
    title: t('Engine cylinders', 'Cylindres du moteur'),
    description: t('Vehicles per number of cylinders.', 'Véhicules par nombre de cylindres.'),
    dimensions: [{ column: CRASH.cylinders }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-action',
    title: t('Action prior to accident', 'Action avant l’accident'),
    description: t('Vehicles per action before the crash.', 'Véhicules par action avant l’accident.'),
    dimensions: [{ column: CRASH.action }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-event-type',
    title: t('Event type', 'Type d’événement'),
    description: t('Vehicles per event type.', 'Véhicules par type d’événement.'),
    dimensions: [{ column: CRASH.eventType }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-make',
    title: t('Vehicle make', 'Marque du véhicule'),
    description: t(
      'Vehicles per make code (or brand, with the make merge).',
      'Véhicules par code de marque (ou marque, avec le regroupement).',
    ),
    dimensions: [{ column: CRASH.make }],
    topN: 25,
    chart: 'hbar',
  }),
  groupCount({
    id: 'desc-registration-class',
    title: t('Registration class', 'Catégorie d’immatriculation'),
    description: t('Vehicles per registration class.', 'Véhicules par catégorie d’immatriculation.'),
    dimensions: [{ column: CRASH.registrationClass }],
    topN: 20,
    chart: 'hbar',
  }),
  // ------------------------------------------------------------------ trends
  trend({
    id: 'trend-body-type',
    dimension: { column: CRASH.bodyType },
    topN: 8,
    title: t('Body type by crash year', 'Carrosserie par année'),
    description: t('Main body types per crash year.', 'Principaux types de carrosserie par année d’accident.'),
  }),
  trend({
    id: 'trend-registration-class',
    dimension: { column: CRASH.registrationClass },
    topN: 8,
    title: t('Registration class by crash year', 'Catégorie d’immatriculation par année'),
    description: t('Main registration classes per crash year.', 'Principales catégories d’immatriculation par année d’accident.'),
  }),
  trend({
    id: 'trend-action',
    dimension: { column: CRASH.action },
    topN: 8,
    title: t('Action prior to accident by crash year', 'Action avant l’accident par année'),
    description: t('Main actions per crash year.', 'Principales actions par année d’accident.'),
  }),
  trend({
    id: 'trend-direction',
    dimension: { column: CRASH.direction },
    topN: 8,
    title: t('Direction of travel by crash year', 'Direction par année'),
    description: t('Directions of travel per crash year.', 'Directions de déplacement par année d’accident.'),
  }),
  trend({
    id: 'trend-fuel',
    dimension: { column: CRASH.fuel },
    topN: 8,
    title: t('Fuel type by crash year', 'Carburant par année'),
    description: t('Fuel types per crash year.', 'Types de carburant par année d’accident.'),
  }),
  trend({
    id: 'trend-state',
    dimension: { column: CRASH.state },
    topN: 8,
    title: t('State of registration by crash year', 'État d’immatriculation par année'),
    description: t('Main registration states per crash year.', 'Principaux États d’immatriculation par année d’accident.'),
  }),
  trend({
    id: 'trend-make',
    dimension: { column: CRASH.make },
    topN: 10,
    title: t('Vehicle make by crash year', 'Marque par année'),
    description: t('Main makes per crash year.', 'Principales marques par année d’accident.'),
  }),
  trend({
    id: 'trend-factor1-description',
    dimension: { column: CRASH.factor1Description },
    topN: 10,
    title: t('Contributing factor by crash year', 'Facteur contributif par année'),
    description: t('Main factor 1 descriptions per crash year.', 'Principales descriptions du facteur 1 par année d’accident.'),
  }),
  trend({
    id: 'trend-event-type',
    dimension: { column: CRASH.eventType },
    topN: 8,
    title: t('Event type by crash year', 'Type d’événement par année'),
    description: t('Main event types per crash year.', 'Principaux types d’événement par année d’accident.'),
  }),
  trend({
    id: 'trend-vehicle-age',
    dimension: { derived: 'vehicle-age' },
    order: 'key',
    topN: 0,
    title: t('Vehicle age by crash year', 'Âge du véhicule par année'),
    description: t(
      'Distribution of vehicle age (crash year − vehicle year) per crash year.',
      'Distribution de l’âge du véhicule (année de l’accident − année du véhicule) par année.',
    ),
  }),
  // ------------------------------------------------------------------ correlations
  {
    id: 'corr-pearson',
    category: 'correlations',
    title: t('Pearson correlation', 'Corrélation de Pearson'),
    description: t(
      'Linear correlation between the numeric crash columns.',
      'Corrélation linéaire entre les colonnes numériques des accidents.',
    ),
    requires: CORRELATION_NUMERIC.map((column) => ({ column, types: NUMERIC })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'correlation', method: 'pearson', columns: CORRELATION_NUMERIC },
  },
  {
    id: 'corr-spearman',
    category: 'correlations',
    title: t('Spearman correlation', 'Corrélation de Spearman'),
    description: t(
      'Rank correlation between the numeric crash columns.',
      'Corrélation des rangs entre les colonnes numériques des accidents.',
    ),
    requires: CORRELATION_NUMERIC.map((column) => ({ column, types: NUMERIC })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'correlation', method: 'spearman', columns: CORRELATION_NUMERIC },
  },
  {
    id: 'corr-cramers-v',
    category: 'correlations',
    title: t('Cramér’s V between categories', 'V de Cramér entre catégories'),
    description: t('Association between the main categorical columns.', 'Association entre les principales colonnes catégorielles.'),
    requires: CRAMERS_COLUMNS.map((column) => ({ column })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'cramers-v', columns: CRAMERS_COLUMNS },
  },
  // ------------------------------------------------------------------ generic, for any CSV
  {
    id: 'generic-profile',
    category: 'generic',
    title: t('Column profile', 'Profil des colonnes'),
    description: t(
      'Per column: type, nulls, distinct, min, max, mean, std, quantiles and top values.',
      'Par colonne : type, nuls, distinctes, min, max, moyenne, écart-type, quantiles et valeurs fréquentes.',
    ),
    requires: [],
    params: [
      { name: 'topValues', kind: 'integer', label: t('Top values listed', 'Valeurs fréquentes listées'), default: 3, min: 1, max: 20 },
    ],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'rows', type: 'integer' },
      { name: 'nulls', type: 'integer' },
      { name: 'null_share', type: 'float' },
      { name: 'distinct', type: 'integer' },
      { name: 'min', type: 'text' },
      { name: 'max', type: 'text' },
      { name: 'mean', type: 'float' },
      { name: 'std', type: 'float' },
      { name: 'p05', type: 'float' },
      { name: 'p25', type: 'float' },
      { name: 'p50', type: 'float' },
      { name: 'p75', type: 'float' },
      { name: 'p95', type: 'float' },
      { name: 'top_values', type: 'text' },
    ],
    chart: 'table',
    stage: 'cleaned',
    op: { kind: 'profile' },
  },
  {
    id: 'generic-histogram',
    category: 'generic',
    title: t('Histogram', 'Histogramme'),
    description: t('Equal-width bins of a numeric column.', 'Classes de largeur égale d’une colonne numérique.'),
    requires: [],
    requiresAnyOf: { types: NUMERIC, min: 1 },
    params: [
      { name: 'column', kind: 'column', label: t('Column', 'Colonne'), default: null, columnTypes: NUMERIC },
      { name: 'bins', kind: 'integer', label: t('Bins', 'Classes'), default: 20, min: 1, max: 500 },
    ],
    resultColumns: [
      { name: 'bin', type: 'integer' },
      { name: 'lower', type: 'float' },
      { name: 'upper', type: 'float' },
      { name: 'count', type: 'integer' },
    ],
    chart: 'histogram',
    stage: 'cleaned',
    op: { kind: 'histogram' },
  },
  {
    id: 'generic-value-counts',
    category: 'generic',
    title: t('Value counts', 'Effectifs par valeur'),
    description: t('How often each value of a column occurs.', 'Fréquence de chaque valeur d’une colonne.'),
    requires: [],
    requiresAnyOf: { types: ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'], min: 1 },
    params: [{ name: 'column', kind: 'column', label: t('Column', 'Colonne'), default: null }, topN(50)],
    resultColumns: groupCountColumns(['value']),
    chart: 'hbar',
    stage: 'cleaned',
    op: { kind: 'value-counts' },
  },
  {
    id: 'generic-group-by',
    category: 'generic',
    title: t('Group by', 'Regroupement'),
    description: t(
      'One or two dimensions, a measure and count/sum/mean/min/max/median, with an optional filter.',
      'Une ou deux dimensions, une mesure et effectif/somme/moyenne/min/max/médiane, avec un filtre facultatif.',
    ),
    requires: [],
    requiresAnyOf: { types: ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'], min: 1 },
    params: [
      { name: 'dimensions', kind: 'columns', label: t('Dimensions (1 or 2)', 'Dimensions (1 ou 2)'), default: null, min: 1, max: 2 },
      {
        name: 'aggregate',
        kind: 'enum',
        label: t('Aggregate', 'Agrégat'),
        default: 'count',
        options: ['count', 'sum', 'mean', 'min', 'max', 'median'],
      },
      { name: 'measure', kind: 'column', label: t('Measure', 'Mesure'), default: null, columnTypes: NUMERIC, optional: true },
      { name: 'filter', kind: 'filter', label: t('Filter', 'Filtre'), default: null, optional: true },
      topN(50),
    ],
    resultColumns: [
      { name: '{dimensions}', type: 'source' },
      { name: 'value', type: 'float' },
      { name: 'rows', type: 'integer' },
      { name: 'other', type: 'boolean' },
    ],
    chart: 'bar',
    stage: 'cleaned',
    op: { kind: 'group-by' },
  },
  {
    id: 'generic-correlation',
    category: 'generic',
    title: t('Numeric correlation matrix', 'Matrice de corrélation numérique'),
    description: t(
      'Pearson or Spearman correlation between numeric columns.',
      'Corrélation de Pearson ou de Spearman entre colonnes numériques.',
    ),
    requires: [],
    requiresAnyOf: { types: NUMERIC, min: 2 },
    params: [
      { name: 'method', kind: 'enum', label: t('Method', 'Méthode'), default: 'pearson', options: ['pearson', 'spearman'] },
      { name: 'columns', kind: 'columns', label: t('Columns', 'Colonnes'), default: null, columnTypes: NUMERIC, min: 2, max: 50 },
    ],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'generic-correlation' },
  },
];

export function analysisById(id: string): AnalysisSpec | undefined {
  return ANALYSES.find((a) => a.id === id);
}
