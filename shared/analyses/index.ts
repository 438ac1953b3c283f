/**
 * The analysis catalog and its rules, in four modules: `types` (what an analysis is), `crash` (the
 * crash dataset's vocabulary and the notebook's cleaning), `catalog` (the list itself) and `params`
 * (applicability and parameter resolution), plus `plan` (the one planning step of every engine).
 */
export * from './types';
export * from './crash';
export * from './catalog';
export * from './params';
export * from './plan';
