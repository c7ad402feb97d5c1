export * from './outbound-worker';
export * from './retry-policy';
