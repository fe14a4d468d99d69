import { type Action, actionId, parseActionId, toolCallFor } from '../../../layers/core/assistant/actions';

describe('action ids', () => {
  it.each<Action>([
    { kind: 'reminder_snooze', reminderId: 'r1', minutes: 60 },
    { kind: 'reminder_create', dueLocal: '09:30', text: 'llamar: a Juan' },
    { kind: 'expense_undo', expenseId: 'e1' },
    {
      kind: 'expense_add',
      amount: 45000.5,
      currency: 'COP',
      category: 'food',
      date: '2026-11-21',
      description: 'Crepes & Waffles: Usaquén',
    },
    { kind: 'expense_add', amount: 12, currency: 'USD', category: 'transport' },
  ])('round-trips %j through its versioned id', (action) => {
    const id = actionId(action);
    expect(id.startsWith('v1:')).toBe(true);
    expect(id.length).toBeLessThanOrEqual(256);
    expect(parseActionId(id)).toEqual(action);
  });

  it('maps a confirmed expense suggestion to the add_expense tool, without a model', () => {
    expect(
      toolCallFor(
        { kind: 'expense_add', amount: 20, currency: 'USD', category: 'transport', description: 'Uber' },
        'action_1',
      ),
    ).toEqual({
      id: 'action_1',
      name: 'add_expense',
      input: { amount: 20, currency: 'USD', category: 'transport', description: 'Uber' },
    });
  });

  it.each([
    'v1:exp:add:-5:USD:food:-',
    'v1:exp:add:abc:USD:food:-',
    'v1:exp:add:5:usd:food:-',
    'v1:exp:add:5:USD:food:21/11/2026',
    'v1:exp:add:5:USD',
    'v2:exp:add:5:USD:food:-',
  ])('refuses the malformed id %s', (id) => {
    expect(parseActionId(id)).toBeUndefined();
  });
});
