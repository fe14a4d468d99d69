import { byId, h } from './dom';
import { currentWaId, loadUsers, saveUser, suggestedNumber } from './storage';
import type { Locale, SimulatedUser } from './types';

const isLocale = (value: string): value is Locale => value === 'es' || value === 'en';

/**
 * Choosing and creating simulated users. Users live in localStorage; the stack creates its own
 * record on the first message, as it would for a real WhatsApp user.
 */
export const usersPanel = (onSelect: (user: SimulatedUser) => void): void => {
  const select = byId('user-select', HTMLSelectElement);
  const details = byId('new-user', HTMLDetailsElement);
  const form = byId('user-form', HTMLFormElement);
  const name = byId('user-name', HTMLInputElement);
  const locale = byId('user-locale', HTMLSelectElement);
  const number = byId('user-number', HTMLInputElement);

  let users = loadUsers();
  const choose = (waId: string | undefined) => {
    const user = users.find((known) => known.waId === waId);
    if (!user) return;
    select.value = user.waId;
    onSelect(user);
  };
  const fillSelect = () => {
    select.replaceChildren(
      ...users.map((user) =>
        h('option', { value: user.waId }, `${user.name} · +${user.waId} · ${user.locale}`),
      ),
    );
    select.disabled = users.length === 0;
  };

  // A suggested number follows the language until the user types their own.
  let numberEdited = false;
  number.addEventListener('input', () => (numberEdited = true));
  locale.addEventListener('change', () => {
    if (!numberEdited && isLocale(locale.value)) number.value = suggestedNumber(locale.value);
  });
  number.value = suggestedNumber('es');

  select.addEventListener('change', () => choose(select.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isLocale(locale.value)) return;
    const user = { name: name.value.trim(), waId: number.value.replace(/\D/g, ''), locale: locale.value };
    users = saveUser(user);
    fillSelect();
    choose(user.waId);
    form.reset();
    numberEdited = false;
    number.value = suggestedNumber('es');
    details.open = false;
    byId('composer', HTMLTextAreaElement).focus();
  });

  fillSelect();
  details.open = users.length === 0;
  const remembered = currentWaId();
  choose(users.some((user) => user.waId === remembered) ? remembered : users.at(-1)?.waId);
};
