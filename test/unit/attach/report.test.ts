import { describe, expect, it } from 'vitest';
import { attachWarnings } from '../../../local/attach/report.js';
import { describedPool } from './helpers.js';

const unverifiedChange = (attribute: string) => new RegExp(`applies a changed ${attribute} before it is verified`);

describe('attach warns when a changed address replaces the verified one at once', () => {
  it('warns for an auto-verified phone_number the pool does not protect, not for the protected email', () => {
    const pool = describedPool(); // auto-verifies email and phone_number, protects email only
    const warnings = attachWarnings(pool, {}, undefined);
    expect(warnings.some((warning) => unverifiedChange('phone_number').test(warning))).toBe(true);
    expect(warnings.some((warning) => unverifiedChange('email').test(warning))).toBe(false);
  });

  it('warns for both when the setting is absent', () => {
    const pool = { ...describedPool(), UserAttributeUpdateSettings: undefined };
    const warnings = attachWarnings(pool, {}, undefined);
    expect(warnings.filter((warning) => /applies a changed/.test(warning))).toHaveLength(2);
  });

  it('says nothing for a pool that protects both, or that has no email or phone at all', () => {
    const both = { ...describedPool(), UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email' as const, 'phone_number' as const] } };
    expect(attachWarnings(both, {}, undefined).filter((warning) => /applies a changed/.test(warning))).toEqual([]);
    const none = { ...describedPool(), AutoVerifiedAttributes: [], UsernameAttributes: [], AliasAttributes: [], UserAttributeUpdateSettings: undefined };
    expect(attachWarnings(none, {}, undefined).filter((warning) => /applies a changed/.test(warning))).toEqual([]);
  });
});
