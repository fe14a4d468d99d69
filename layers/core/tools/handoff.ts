import * as z from 'zod/mini';
import { recordHandoffRequest } from '../db/repositories';
import { defineTool } from './tool';

export const requestHumanTool = defineTool({
  name: 'request_human',
  description:
    'Ask for a person from the team to take over the conversation. Use it whenever the user wants a human ' +
    '(an agent, an advisor, support), or is stuck on something you cannot fix. The result says how the team ' +
    'will contact them: tell the user exactly that.',
  input: z.object({
    reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
  }),
  async execute(context, input) {
    const { request, isNew } = await recordHandoffRequest(context.tx, {
      messageWamid: context.messageWamid,
      ...(input.reason && { reason: input.reason }),
    });
    return {
      handoff: { id: request.id, status: request.status, already_requested: !isNew },
      contact: context.operatorContact,
    };
  },
});

export const handoffTools = [requestHumanTool];
