// @azora/platform: run the whole platform locally.
export * from './declared-variables';
export * from './key-encryption-key';
export * from './launcher';
export * from './log-format';
export * from './ports';
export * from './postmaster';
export { isAlive, type Ending } from './processes';
export * from './provisioning';
export * from './restart-policy';
export * from './service-env';
export * from './service-users';
export * from './start-notes';
export * from './start-summary';
export * from './start-waves';
export * from './supervision';
export * from './supervision-report';
export * from './supervisor';
