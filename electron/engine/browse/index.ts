export { readPage, browserFor, viewKey, queryRows, DIRECT_WINDOW, type Browser } from './page';
export { viewSql, selectList, parametersBinder, literalBinder, type ViewSql, type ValidView, type Binder } from './view-sql';
export { jsonSafeTypes, type Cell } from './values';
export { sortIndexName } from './indexes';
