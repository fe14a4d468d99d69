import * as z from 'zod/mini';
import * as core from 'zod/v4/core';

/**
 * zod/mini's objects check their fields in a generic loop; zod's own JIT object (the one `zod` uses for
 * `z.object`) generates a parser per shape on first use, about three times faster. Every webhook runs
 * a dozen of these objects, so the ingress uses the JIT one, built the way `zod` builds its own, while
 * keeping zod/mini's size.
 */
const ZodMiniCompiledObject: core.$constructor<z.ZodMiniObject> = core.$constructor(
  'ZodMiniCompiledObject',
  (inst, def) => {
    core.$ZodObjectJIT.init(inst, def);
    // Its $ZodObject trait is already in place, so this adds only zod/mini's methods, not the slower parser.
    z.ZodMiniObject.init(inst, def);
  },
);

/** `z.looseObject`, compiled: unknown fields are kept, as Meta adds fields without notice. */
export const compiledLooseObject = <Shape extends core.$ZodLooseShape>(
  shape: Shape,
): z.ZodMiniObject<Shape, core.$loose> =>
  new ZodMiniCompiledObject({
    type: 'object',
    shape,
    catchall: z.unknown(),
  }) as unknown as z.ZodMiniObject<Shape, core.$loose>;
