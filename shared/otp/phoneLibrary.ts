import type * as PhoneModule from './phone.js';

/**
 * The phone library (libphonenumber-js and its metadata: about a quarter of Create's bundle) is loaded on demand.
 * Create's wiring loads it at cold start only when OTP_CHANNELS includes SMS, so an email-only container never
 * evaluates it; esbuild turns the dynamic import into a lazily initialised module of the same bundle.
 */
let loaded: typeof PhoneModule | undefined;

export async function loadPhoneLibrary(): Promise<typeof PhoneModule> {
  loaded ??= await import('./phone.js');
  return loaded;
}

/** The loaded library; an SMS decision before loading it is a wiring mistake, and fails closed. */
export function phoneLibrary(): typeof PhoneModule {
  if (loaded === undefined) throw new Error('The phone library is not loaded: the wiring calls loadPhoneLibrary() when OTP_CHANNELS includes SMS.');
  return loaded;
}
