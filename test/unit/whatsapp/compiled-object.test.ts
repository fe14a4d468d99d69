import fc from 'fast-check';
import * as z from 'zod/mini';
import { compiledLooseObject } from '../../../layers/core/whatsapp/compiled-object';
import { fixtureBytes, fixtureNames } from '../../support/webhooks';

/** A shape with every kind of field the webhook schemas use. */
const shapeOf = (object: typeof z.looseObject) => ({
  id: z.string().check(z.minLength(1)),
  type: z.literal('text'),
  count: z.optional(z.number()),
  flag: z.optional(z.boolean()),
  tags: z.optional(z.array(z.string())),
  nested: z.optional(object({ name: z.optional(z.string()), body: z.string() })),
});

const reference = z.looseObject(shapeOf(z.looseObject));
const compiled = compiledLooseObject(shapeOf(compiledLooseObject));

const outcome = (result: ReturnType<typeof reference.safeParse>) =>
  result.success
    ? { success: true, data: result.data }
    : { success: false, issues: result.error.issues.map(({ code, path }) => ({ code, path })) };

const nearlyValid = fc.record(
  {
    id: fc.oneof(fc.string(), fc.integer()),
    type: fc.oneof(fc.constant('text'), fc.string()),
    count: fc.oneof(fc.double(), fc.string()),
    flag: fc.boolean(),
    tags: fc.array(fc.oneof(fc.string(), fc.integer())),
    nested: fc.oneof(
      fc.record({ name: fc.string(), body: fc.string() }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('compiledLooseObject', () => {
  it('accepts, rejects and outputs exactly what z.looseObject does', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, fc.jsonValue()), (input) => {
        expect(outcome(compiled.safeParse(input))).toEqual(outcome(reference.safeParse(input)));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps fields it does not know, as Meta adds them without notice', () => {
    const parsed = compiled.parse({
      id: 'wamid.1',
      type: 'text',
      from_user_id: 'CO.123',
      nested: { body: 'hola', x: 1 },
    });
    expect(parsed).toEqual({
      id: 'wamid.1',
      type: 'text',
      from_user_id: 'CO.123',
      nested: { body: 'hola', x: 1 },
    });
  });

  it('parses every webhook fixture', () => {
    const envelope = compiledLooseObject({
      object: z.literal('whatsapp_business_account'),
      entry: z.array(z.unknown()),
    });
    for (const name of fixtureNames()) {
      const body = JSON.parse(fixtureBytes(name).toString('utf8')) as unknown;
      expect(envelope.safeParse(body)).toEqual({ success: true, data: body });
    }
  });
});
