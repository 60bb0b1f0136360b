// @azora/contracts: the single source of truth for shapes that cross a process boundary.
export * from './problem';
export * from './pagination';
export * from './events';
export * from './bus';
export * from './health';
export * from './services';
export * from './auth';
export * from './education';
export * from './mint';
export * from './forge';
export * from './analytics';
export * from './notifications';
export * from './pay';
export * from './ai';
export * from './monitoring';
