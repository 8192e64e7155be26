import fc from 'fast-check';
import { expect, it } from 'vitest';
import { boundedCode, boundedMethod } from './labels.ts';

it('an error code label is the code itself when it looks like one of ours, else "other": never free text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (code) => {
      const label = boundedCode(code);
      expect(label === code || label === 'other').toBe(true);
      expect(label).toMatch(/^[a-z][a-z0-9_]{0,47}$/);
    }),
  );
  expect(boundedCode('no_face')).toBe('no_face');
  expect(boundedCode(undefined)).toBe('none');
  expect(boundedCode('No face: /tmp/x.jpg')).toBe('other');
});

it('a method label is one of the standard methods or "other"', () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), (m) => void expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other']).toContain(boundedMethod(m))));
});
