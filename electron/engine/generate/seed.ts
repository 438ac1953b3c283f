/** The generator's fixed seed: the same seed and row count give the same bytes. A leaf module, so the CLI's help needs none of the generator. */
export const DEFAULT_SEED = 20180101;
