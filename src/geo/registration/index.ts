/** Domain registration lookups (RDAP, WHOIS): the public surface for the wiring and the web. */
export { createRegistrations, type Registrations, type RegistrationsOptions, type RegistrationStats } from './registrations.js';
export { registrableDomain } from './domain.js';
export { summary, type Registration, type Registrant, type RegistrationStatus } from './types.js';
