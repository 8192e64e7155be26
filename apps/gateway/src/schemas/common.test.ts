import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boolField, formNumber, jsonDepth, jsonField, JSON_MAX_DEPTH, numberField, thresholdField, thresholdFormField } from './common.ts';
import { z } from '@hono/zod-openapi';

const inRange = fc.double({ min: -1, max: 1, noNaN: true });

describe('the threshold rule', () => {
  it('JSON: every finite number in [-1, 1] is accepted as itself', () => {
    fc.assert(fc.property(inRange, (t) => {
      expect(thresholdField.parse(t)).toBe(t);
    }));
  });

  it('JSON: anything that is not such a number is refused, whatever its type', () => {
    const notANumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(inRange), fc.object(), fc.double().filter((d) => !(d >= -1 && d <= 1)));
    fc.assert(fc.property(notANumber, (v) => {
      expect(thresholdField.safeParse(v).success).toBe(false);
    }));
  });

  it('multipart: the text of any number in [-1, 1] is that number; an empty field is not given', () => {
    fc.assert(fc.property(inRange, (t) => {
      // String(-0) is '0': compared with ===, for which they are equal.
      expect(thresholdFormField.parse(String(t)) === t).toBe(true);
    }));
    expect(thresholdFormField.parse('')).toBeUndefined();
    expect(thresholdFormField.parse(undefined)).toBeUndefined();
    expect(thresholdFormField.parse('1e-1')).toBe(0.1);
    expect(thresholdFormField.parse('-.5')).toBe(-0.5);
  });

  it('multipart: blanks, words, hex, Infinity, out of range and lists are refused with the rule as message', () => {
    for (const bad of [' ', ' 0.5', '0.5 ', 'abc', 'true', '0x1', 'Infinity', 'NaN', '1e999', '2', '-1.5', ['0.5', '0.6']]) {
      const r = thresholdFormField.safeParse(bad);
      expect(r.success, String(bad)).toBe(false);
      expect(r.error?.issues[0]?.message).toBe('must be a number from -1 to 1');
    }
  });

  it('numberField with int refuses fractions; formNumber keeps a default for an empty field', () => {
    const topK = formNumber(numberField({ min: 1, max: 100, int: true }).default(5));
    expect(topK.parse('')).toBe(5);
    expect(topK.parse('7')).toBe(7);
    expect(topK.safeParse('7.5').error?.issues[0]?.message).toBe('must be an integer from 1 to 100');
  });

  it('booleans: an empty form field is not given', () => {
    expect(boolField.parse('')).toBeUndefined();
    expect(boolField.parse('1')).toBe(true);
    expect(boolField.safeParse('yes').success).toBe(false);
  });
});

describe('jsonField depth limit', () => {
  const field = jsonField(z.unknown());
  const nest = (d: number) => '['.repeat(d) + ']'.repeat(d);

  it('measures depth without recursion, even 1,000,000 deep', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({ a: [1, { b: {} }] })).toBe(4);
    expect(jsonDepth(JSON.parse(nest(1_000_000)), JSON_MAX_DEPTH)).toBe(JSON_MAX_DEPTH + 1);
  });

  it('accepts up to 32 levels and refuses more, naming the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (d) => {
        const r = field.safeParse(nest(d));
        expect(r.success).toBe(d <= JSON_MAX_DEPTH);
        if (!r.success) expect(r.error.issues[0]?.message).toBe('must be nested at most 32 levels deep');
      }),
      { numRuns: 200 },
    );
  });
});
