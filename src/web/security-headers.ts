/**
 * Headers every admin response carries, errors and 404s included. The CSP allows only our own
 * scripts and styles (no inline code), so an injected string in a device name cannot run.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Creates the security-headers middleware. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY', // for browsers that predate frame-ancestors
    // A router is usually reached over plain http or with a self-signed certificate; HSTS would
    // lock the admin out of its own box once it switched back to http.
    strictTransportSecurity: false,
  });
}
