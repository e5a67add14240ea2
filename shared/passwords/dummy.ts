import { compare } from 'bcryptjs';
import { BCRYPT_MAX_COST, BCRYPT_MIN_COST } from './bcrypt.js';

export const DEFAULT_DUMMY_COST = 10;

// Any well-formed salt and checksum will do: the work is the same and the result is discarded.
const DUMMY_SALT_AND_CHECKSUM = '9HW10qmqRu5jOOEJqZc5Ie' + 'x8n3C0bUe0pKtF0yI2cQ9oR6wZs1Vd.';

/**
 * Spends the same work as checking `password` against a bcrypt hash of `cost`, and always
 * answers false. Call it when the user does not exist, so that case takes as long as a
 * wrong password. Throws RangeError for a cost outside 4..15 (a configuration mistake).
 */
export async function verifyAgainstDummy(password: string, cost: number = DEFAULT_DUMMY_COST): Promise<false> {
  if (!Number.isInteger(cost) || cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST) {
    throw new RangeError(`dummy bcrypt cost must be an integer from ${BCRYPT_MIN_COST} to ${BCRYPT_MAX_COST}`);
  }
  const dummyHash = `$2b$${String(cost).padStart(2, '0')}$${DUMMY_SALT_AND_CHECKSUM}`;
  await compare(typeof password === 'string' ? password : '', dummyHash);
  return false;
}
