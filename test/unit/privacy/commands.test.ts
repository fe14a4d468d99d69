import { actionId, parseActionId } from '../../../layers/core/assistant/actions';
import {
  parseKeywordList,
  type PrivacyCommand,
  privacyCommandOf,
} from '../../../layers/core/privacy/commands';
import { erasureConfirmationValid } from '../../../layers/core/privacy/erase';

const configured = { optOut: ['desuscribir', 'Darme de baja'], optIn: ['reanudar'] };

describe('privacy commands', () => {
  it.each<[string, PrivacyCommand]>([
    ['STOP', 'opt_out'],
    ['stop', 'opt_out'],
    ['Baja.', 'opt_out'],
    ['  PARAR!!', 'opt_out'],
    ['¡Parar!', 'opt_out'],
    ['unsubscribe', 'opt_out'],
    ['STOP 🛑', 'opt_out'],
    ['Desuscribir', 'opt_out'],
    ['darme de BAJA', 'opt_out'],
    ['START', 'opt_in'],
    ['alta', 'opt_in'],
    ['Álta', 'opt_in'],
    ['reanudar', 'opt_in'],
    ['borrar mis datos', 'erase'],
    ['Borrar mis datos.', 'erase'],
    ['quiero borrar todos mis datos por favor', 'erase'],
    ['elimina mi cuenta', 'erase'],
    ['eliminar toda mi información', 'erase'],
    ['borra mis datos personales', 'erase'],
    ['delete my data', 'erase'],
    ['Delete all my data please', 'erase'],
    ['please erase my personal data', 'erase'],
    ["I'd like to delete my account", 'erase'],
    ['olvídame', 'erase'],
    ['forget me', 'erase'],
  ])('reads %j as %s', (text, command) => {
    expect(privacyCommandOf(text, configured)).toBe(command);
  });

  it.each([
    'stop reminding me about rent',
    'para mañana',
    'baja el volumen',
    'cancelar',
    'start a reminder for tomorrow',
    'borrar el último gasto',
    'delete my last expense',
    'borrar mis recordatorios',
    'how do I stop',
    '',
    '🛑',
  ])('leaves %j to the assistant', (text) => {
    expect(privacyCommandOf(text, configured)).toBeUndefined();
  });

  it('honours the mandatory words whatever the configuration', () => {
    expect(privacyCommandOf('BAJA', { optOut: [], optIn: [] })).toBe('opt_out');
    expect(privacyCommandOf('ALTA', { optOut: [], optIn: [] })).toBe('opt_in');
    expect(privacyCommandOf('desuscribir', { optOut: [], optIn: [] })).toBeUndefined();
  });

  it('lets an opt-out win over an opt-in configured with the same word', () => {
    expect(privacyCommandOf('basta', { optOut: ['basta'], optIn: ['basta'] })).toBe('opt_out');
  });

  it('reads a configured list, dropping blanks', () => {
    expect(parseKeywordList(' stopall, darme de baja ,, ,')).toEqual(['stopall', 'darme de baja']);
    expect(parseKeywordList('')).toEqual([]);
  });
});

describe('erasure buttons', () => {
  const askedAt = new Date('2026-11-22T15:00:00Z');

  it('carry when the question was asked, to the second, through their id', () => {
    const id = actionId({ kind: 'erase_confirm', askedAt });
    expect(id).toBe(`v1:erase:yes:${askedAt.getTime() / 1000}`);
    expect(parseActionId(id)).toEqual({ kind: 'erase_confirm', askedAt });
    expect(parseActionId(actionId({ kind: 'erase_cancel' }))).toEqual({ kind: 'erase_cancel' });
    expect(parseActionId('v1:erase:yes:soon')).toBeUndefined();
    expect(parseActionId('v1:erase:yes')).toBeUndefined();
  });

  it('confirm only within ten minutes of the question', () => {
    const after = (minutes: number) => new Date(askedAt.getTime() + minutes * 60_000);
    expect(erasureConfirmationValid(askedAt, after(0))).toBe(true);
    expect(erasureConfirmationValid(askedAt, after(10))).toBe(true);
    expect(erasureConfirmationValid(askedAt, after(10.1))).toBe(false);
    expect(erasureConfirmationValid(askedAt, after(60 * 24))).toBe(false);
    expect(erasureConfirmationValid(askedAt, after(-5))).toBe(false);
  });
});
