export { type SimulatedUser } from './customer-window';
export { metaJson } from './meta-json';
export {
  GraphStandIn,
  type GraphStandInOptions,
  type InjectedFailure,
  type OutboxEntry,
  type OutboxQuery,
  type ReadReceipt,
} from './stand-in';
export { type DeliverWebhook } from './status-webhooks';
