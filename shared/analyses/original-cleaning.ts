/**
 * The cleaning options of the original notebook: the default of every run, Polars and Spark alike.
 * A leaf module (no imports) because the contract's schemas default to it: `contract/` imports it
 * and nothing here imports back. The schemas type-check it against `CleaningOptions`.
 */
export const ORIGINAL_CLEANING = Object.freeze({ sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true });
