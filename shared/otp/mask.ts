/** Destinations as shown to the user: enough to recognise, too little to learn. */

/**
 * Lower case whatever case the address was stored or typed in, so a decoy built from a typed name
 * cannot be told from a real user's stored address by its case.
 */
export function maskEmail(address: string): string {
  const email = address.toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${[...local][0] ?? ''}***@${[...host][0] ?? ''}***${tld}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '+****';
  return `+${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}
