import { describe, expect, it } from 'vitest';
import { checkBody, type BodySchema } from '../../src/web/body.js';

describe('checkBody', () => {
  const schema: BodySchema = {
    name: { type: 'string', minLength: 1, maxLength: 4, pattern: /^[a-z]+$/ },
    count: { type: 'number', optional: true, integer: true, min: 0, max: 10 },
    isOn: { type: 'boolean', optional: true },
  };

  it.each([
    [{ name: 'ab' }, undefined],
    [{ name: 'ab', count: 3, isOn: false }, undefined],
    [null, { field: '(body)', message: 'must be a JSON object' }],
    [[], { field: '(body)', message: 'must be a JSON object' }],
    [{}, { field: 'name', message: 'is required' }],
    [{ name: 'ab', extra: 1 }, { field: 'extra', message: 'is not a known field' }],
    [{ name: '' }, { field: 'name', message: 'must be at least 1 characters' }],
    [{ name: 'abcde' }, { field: 'name', message: 'must be at most 4 characters' }],
    [{ name: 'AB' }, { field: 'name', message: 'must match /^[a-z]+$/' }],
    [{ name: 'ab', count: 1.5 }, { field: 'count', message: 'must be an integer' }],
    [{ name: 'ab', count: -1 }, { field: 'count', message: 'must be >= 0' }],
    [{ name: 'ab', count: 11 }, { field: 'count', message: 'must be <= 10' }],
    [{ name: 'ab', count: '3' }, { field: 'count', message: 'must be a number' }],
    [{ name: 'ab', isOn: 'yes' }, { field: 'isOn', message: 'must be true or false' }],
  ])('checks %j', (body, problem) => {
    expect(checkBody(body, schema)).toEqual(problem);
  });
});
