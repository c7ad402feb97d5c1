export * from './outbound-worker';
export {
  OutboundNotDeliveredError,
  type OutboundLimits,
  type OutboundTransport,
  type OutboundWorkerDeps,
  type OutboundWorkerOptions,
  type SendOutcome,
} from './outbound-types';
export * from './retry-policy';
