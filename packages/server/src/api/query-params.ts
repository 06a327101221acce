export { DEFAULT_LIMIT, MAX_LIMIT } from './query-schemas.js';
