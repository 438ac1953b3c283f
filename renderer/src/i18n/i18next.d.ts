/**
 * Types the renderer's `t` by the shared tree: a key that is not in shared/i18n (under the
 * component's keyPrefix, if any) does not compile.
 */
import 'i18next';
import type { Translation } from '../../../shared/i18n';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Translation };
  }
}
