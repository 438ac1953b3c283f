export { Browser, viewKey, queryRows, DIRECT_WINDOW, FILE_ORDER_SETTINGS } from './page';
export { viewSql, selectList, parametersBinder, literalBinder, type ViewSql, type ValidView, type Binder } from './view-sql';
export { jsonSafeTypes, type Cell } from './values';
export { rowMapName } from './row-maps';
