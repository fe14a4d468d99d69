export { messageLanguage, planMessage } from './plan';
export type * from './types';
export { EXPENSE_CATEGORIES } from './types';
