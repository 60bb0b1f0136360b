// @azora/platform: run the whole platform locally.
export * from './declared-variables';
export * from './key-encryption-key';
export * from './launcher';
export * from './log-format';
export * from './ports';
export * from './provisioning';
export * from './service-env';
export * from './service-users';
export * from './start-notes';
