/** The analysis catalog's texts (shared/analyses/catalog.ts names them by key): per analysis its title and description, then the parameter and rule labels. */
export const catalogEn = {
  analyses: {
    'explore-counts': {
      title: 'Rows and columns',
      description: 'How many rows and columns the dataset has.',
    },
    'explore-schema': {
      title: 'Schema',
      description: 'Each column with its position and inferred type.',
    },
    'explore-head': {
      title: 'First rows',
      description: 'The first rows in file order, like show(5).',
    },
    'explore-describe': {
      title: 'Describe',
      description: 'Per column: count, nulls, mean, std, min, quartiles, max; distinct and most frequent value for text.',
    },
    'clean-nulls': {
      title: 'Nulls per column',
      description: 'Count and share of empty values in each column.',
    },
    'clean-sentinels': {
      title: 'Sentinel values per column',
      description: 'Placeholder values (Not Entered, Unknown, None, …) and footnoted values ending in * per text column.',
    },
    'clean-null-drop': {
      title: 'Original null-row drop',
      description: 'Rows before and after dropping rows with a null in the original seven columns.',
    },
    'clean-duplicates': {
      title: 'Duplicate rows',
      description: 'Rows identical in every column (count − distinct count).',
    },
    'clean-duplicate-vins': {
      title: 'Duplicate VINs',
      description: 'Partial VIN values that occur on more than one row.',
    },
    'clean-out-of-range': {
      title: 'Out-of-range values',
      description: 'Vehicle years before 1900 or after the crash year + 1, too many occupants or cylinders.',
    },
    'clean-make-merge': {
      title: 'Make codes merged into brands',
      description: 'Which raw make codes the make merge turns into which brand, with row counts.',
    },
    'desc-body-type': {
      title: 'Vehicle body type',
      description: 'Vehicles per body type.',
    },
    'desc-crash-year': {
      title: 'Crash year',
      description: 'Vehicles per crash year, in year order.',
    },
    'desc-occupants': {
      title: 'Number of occupants',
      description: 'Vehicles per number of occupants.',
    },
    'desc-factor1': {
      title: 'Contributing factor 1',
      description: 'Vehicles per factor 1 category (HUMAN, ENVMT, VEHICLE), as the original grouped them.',
    },
    'desc-factor1-description': {
      title: 'Contributing factor 1 with its description',
      description: 'Vehicles per factor 1 category and its description (the factor itself).',
    },
    'desc-factor-pair': {
      title: 'Contributing factor 1 × factor 2',
      description: 'Vehicles per pair of factor categories, as the original grouped them.',
    },
    'desc-factor-pair-descriptions': {
      title: 'Factor 1 × factor 2 descriptions',
      description: 'Vehicles per pair of factor descriptions.',
    },
    'desc-state': {
      title: 'State of registration',
      description: 'Vehicles per registration state.',
    },
    'desc-direction': {
      title: 'Direction of travel',
      description: 'Vehicles per direction of travel.',
    },
    'desc-vehicle-age': {
      title: 'Vehicle age at the crash',
      description: 'Vehicles per age, crash year − vehicle year.',
    },
    'desc-vehicle-age-2025': {
      title: 'Vehicle age (2025 − vehicle year, original)',
      description: 'The original notebook’s age: 2025 − vehicle year.',
    },
    'desc-fuel': {
      title: 'Fuel type',
      description: 'Vehicles per fuel type.',
    },
    'desc-cylinders': {
      title: 'Engine cylinders',
      description: 'Vehicles per number of cylinders.',
    },
    'desc-action': {
      title: 'Action prior to accident',
      description: 'Vehicles per action before the crash.',
    },
    'desc-event-type': {
      title: 'Event type',
      description: 'Vehicles per event type.',
    },
    'desc-make': {
      title: 'Vehicle make',
      description: 'Vehicles per make code (or brand, with the make merge).',
    },
    'desc-registration-class': {
      title: 'Registration class',
      description: 'Vehicles per registration class.',
    },
    'trend-body-type': {
      title: 'Body type by crash year',
      description: 'Main body types per crash year.',
    },
    'trend-registration-class': {
      title: 'Registration class by crash year',
      description: 'Main registration classes per crash year.',
    },
    'trend-action': {
      title: 'Action prior to accident by crash year',
      description: 'Main actions per crash year.',
    },
    'trend-direction': {
      title: 'Direction of travel by crash year',
      description: 'Directions of travel per crash year.',
    },
    'trend-fuel': {
      title: 'Fuel type by crash year',
      description: 'Fuel types per crash year.',
    },
    'trend-state': {
      title: 'State of registration by crash year',
      description: 'Main registration states per crash year.',
    },
    'trend-make': {
      title: 'Vehicle make by crash year',
      description: 'Main makes per crash year.',
    },
    'trend-factor1-description': {
      title: 'Contributing factor by crash year',
      description: 'Main factor 1 descriptions per crash year.',
    },
    'trend-event-type': {
      title: 'Event type by crash year',
      description: 'Main event types per crash year.',
    },
    'trend-vehicle-age': {
      title: 'Vehicle age by crash year',
      description: 'Distribution of vehicle age (crash year − vehicle year) per crash year.',
    },
    'corr-pearson': {
      title: 'Pearson correlation',
      description: 'Linear correlation between the numeric crash columns.',
    },
    'corr-spearman': {
      title: 'Spearman correlation',
      description: 'Rank correlation between the numeric crash columns.',
    },
    'corr-cramers-v': {
      title: 'Cramér’s V between categories',
      description: 'Association between the main categorical columns.',
    },
    'generic-profile': {
      title: 'Column profile',
      description: 'Per column: type, nulls, distinct, min, max, mean, std, quantiles and top values.',
    },
    'generic-histogram': {
      title: 'Histogram',
      description: 'Equal-width bins of a numeric column.',
    },
    'generic-value-counts': {
      title: 'Value counts',
      description: 'How often each value of a column occurs.',
    },
    'generic-group-by': {
      title: 'Group by',
      description: 'One or two dimensions, a measure and count/sum/mean/min/max/median, with an optional filter.',
    },
    'generic-correlation': {
      title: 'Numeric correlation matrix',
      description: 'Pearson or Spearman correlation between numeric columns.',
    },
  },
  params: {
    topN: 'Top N (0 = all)',
    n: 'Rows',
    minVehicleYear: 'Earliest vehicle year',
    maxOccupants: 'Most occupants',
    maxCylinders: 'Most cylinders',
    topValues: 'Top values listed',
    column: 'Column',
    bins: 'Bins',
    dimensions: 'Dimensions (1 or 2)',
    aggregate: 'Aggregate',
    measure: 'Measure',
    filter: 'Filter',
    method: 'Method',
    columns: 'Columns',
  },
  rules: {
    'vehicle-year-too-old': 'Vehicle year too old',
    'vehicle-year-after-crash': 'Vehicle year after crash year + 1',
    'occupants-negative': 'Negative occupants',
    'occupants-too-many': 'Too many occupants',
    'cylinders-negative': 'Negative cylinders',
    'cylinders-too-many': 'Too many cylinders',
  },
};
