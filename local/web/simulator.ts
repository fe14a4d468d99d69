import { composer, type Outgoing } from './composer';
import { Conversation } from './conversation';
import { byId, h } from './dom';
import { listDialog } from './list-dialog';
import { fetchConfig, openStream, postWebhook } from './server';
import { notice, typingIndicator } from './status-line';
import { loadSent, rememberCurrent, saveSent, updateSent } from './storage';
import type { SimulatedUser, SimulatorConfig, UserMessage, UserMessageStatus } from './types';
import { usersPanel } from './users-panel';
import { type InteractiveReply, newInboundWamid, signedWebhook } from './webhook';

const CONNECTION_LOST = 'Lost the connection to the local stack; reconnecting…';
const MEDIA_LABELS = { image: '📷 Photo', audio: '🎤 Voice note' } as const;

const banner = notice();
const setTyping = typingIndicator();

/** POSTs the message as Meta would; a 200 means the business has it (two grey ticks until read). */
const deliver = async (
  config: SimulatorConfig,
  sender: SimulatedUser,
  message: UserMessage,
  outgoing: Outgoing,
): Promise<{ status: UserMessageStatus; error?: string }> => {
  const { body, signature } = await signedWebhook(config, sender, {
    wamid: message.wamid,
    sentAt: new Date(message.at),
    content: outgoing.content,
    ...(outgoing.contextWamid !== undefined && { contextWamid: outgoing.contextWamid }),
  });
  const response = await postWebhook(body, signature);
  return response.ok ? { status: 'delivered' } : { status: 'failed', error: `HTTP ${response.status}` };
};

/** Wires the page to the local stack whose identity and app secret `config` gives. */
const startSimulator = (config: SimulatorConfig): void => {
  let user: SimulatedUser | undefined;
  let stream: EventSource | undefined;

  const send = async (outgoing: Outgoing): Promise<void> => {
    const sender = user;
    if (!sender) return banner.show('Create or choose a user first.');
    const message: UserMessage = {
      wamid: newInboundWamid(sender.waId),
      at: new Date().toISOString(),
      text: outgoing.text,
      status: 'sending',
      ...(outgoing.contextWamid !== undefined && { contextWamid: outgoing.contextWamid }),
      ...(outgoing.media !== undefined && { media: outgoing.media }),
    };
    saveSent(sender.waId, message);
    conversation.showUserMessage(message, outgoing.preview);
    const { status, error } = await deliver(config, sender, message, outgoing).catch((failure: unknown) => ({
      status: 'failed' as const,
      error: failure instanceof Error ? failure.message : 'network error',
    }));
    updateSent(sender.waId, message.wamid, status, error);
    if (user === sender) conversation.setUserStatus(message.wamid, status, error);
  };

  const choose = (interactive: InteractiveReply, messageWamid: string) => {
    const { title } = interactive.type === 'button_reply' ? interactive.button_reply : interactive.list_reply;
    void send({ content: { type: 'interactive', interactive }, text: title, contextWamid: messageWamid });
  };

  const conversation = new Conversation(byId('messages', HTMLOListElement), {
    choose,
    openList: listDialog(choose),
  });
  const controls = composer({ send, notify: banner.show });
  controls.enable(false);
  byId('business-number', HTMLSpanElement).textContent = `+${config.displayPhoneNumber}`;

  usersPanel((next) => {
    user = next;
    rememberCurrent(next.waId);
    stream?.close();
    setTyping(false);
    conversation.clear();
    for (const message of loadSent(next.waId)) {
      const preview = message.media ? h('p', { class: 'media' }, MEDIA_LABELS[message.media]) : undefined;
      conversation.showUserMessage(message, preview);
    }
    // The stream replays the user's whole outbox on connect, so it is the history as well.
    stream = openStream(next.waId, {
      outbound: (entry) => {
        if (conversation.showOutbound(entry)) setTyping(false);
      },
      read: ({ messageId, typing }) => {
        updateSent(next.waId, messageId, 'read');
        conversation.setUserStatus(messageId, 'read');
        if (typing && conversation.awaitsReply(messageId)) setTyping(true);
      },
      open: () => banner.clear(CONNECTION_LOST),
      error: () => banner.show(CONNECTION_LOST),
    });
    controls.enable(true);
  });
};

fetchConfig().then(startSimulator, (error: unknown) =>
  banner.show(`The local stack did not answer: ${error instanceof Error ? error.message : String(error)}`),
);
