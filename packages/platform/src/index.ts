// @azora/platform: run the whole platform locally.
export * from './launcher';
export * from './log-format';
export * from './ports';
