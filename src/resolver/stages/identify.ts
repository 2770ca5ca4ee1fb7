/**
 * identify: ties the query to a device. For now every query is from an unknown device
 * (`q.device = null`); the devices issue fills this stage from the neighbour tables and from the
 * MAC that dnsmasq adds with add-mac (EDNS option 65001/65073 at q.optionsOffset). It stands
 * before policy because policy is per device.
 */
import { NEXT, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export interface Identify {
  /** The device for a query, or null. Must be synchronous and cheap: it runs on every query. */
  (q: Query): unknown;
}

/** Creates the identify stage; without a resolver, devices stay unknown. */
export function identifyStage(resolveDevice: Identify | null = null): Stage {
  return {
    name: 'identify',
    onError: 'skip', // an unknown device gets the household policy
    when: 'question',
    run: function identify(q: Query): Verdict {
      if (resolveDevice !== null) q.device = resolveDevice(q);
      return NEXT;
    },
  };
}
