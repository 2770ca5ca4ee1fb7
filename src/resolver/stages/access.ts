/**
 * access: refuses clients outside the allowed networks (REFUSED, RFC 1035 §4.1.1), so telemute is
 * never an open resolver. Runs right after decode: nothing else is spent on a stranger's query.
 */
import { RCODE } from '../../dns/constants.js';
import { errorReply } from '../../dns/reply.js';
import type { AccessList } from '../../net/access.js';
import { NEXT, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

/** Creates the access stage. */
export function accessStage(allowed: AccessList): Stage {
  return {
    name: 'access',
    onError: 'servfail', // fail closed: an error here must not open the resolver
    when: 'question',
    run: function access(q: Query): Verdict {
      if (allowed.isAllowed(q.client.address)) return NEXT;
      q.detail = 'client not in allowed networks';
      return reply(errorReply(q, RCODE.REFUSED), 'refused');
    },
  };
}
