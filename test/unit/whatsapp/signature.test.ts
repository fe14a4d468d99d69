import { isValidSignature, signBody } from '../../../layers/core/whatsapp/signature';
import { fixtureBytes, TEST_APP_SECRET } from '../../support/webhooks';

describe('webhook signature', () => {
  const body = fixtureBytes('text-accents-emoji.meta-escaped.txt');

  it('accepts the HMAC-SHA256 of the exact bytes Meta sent, keyed with the app secret', () => {
    // Prepare
    const header = signBody(body, TEST_APP_SECRET);
    // Act / Assess
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isValidSignature(body, header, TEST_APP_SECRET)).toBe(true);
    expect(isValidSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), TEST_APP_SECRET)).toBe(
      true,
    );
  });

  it('checks a body handed over as text against the signature of its UTF-8 bytes', () => {
    // Prepare: API Gateway passes a body that is not base64-encoded as a string
    const text = '{"text":{"body":"José, ¿almorzamos? 🍲"}}';
    const header = signBody(Buffer.from(text, 'utf8'), TEST_APP_SECRET);
    // Act / Assess
    expect(isValidSignature(text, header, TEST_APP_SECRET)).toBe(true);
    expect(isValidSignature(text.replace('🍲', '🍜'), header, TEST_APP_SECRET)).toBe(false);
    expect(isValidSignature(Buffer.from(text, 'latin1'), header, TEST_APP_SECRET)).toBe(false);
  });

  it('rejects the signature of a re-serialised body, because Meta escapes non-ASCII text', () => {
    // Prepare: what a handler that parsed and re-stringified the JSON would hash
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(reserialised.equals(body)).toBe(false);
    // Act / Assess
    expect(isValidSignature(reserialised, signBody(body, TEST_APP_SECRET), TEST_APP_SECRET)).toBe(false);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['the wrong algorithm prefix', `sha1=${'a'.repeat(64)}`],
    ['a truncated digest', signBody(Buffer.from('x'), TEST_APP_SECRET).slice(0, 40)],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
    ['a digest made with another secret', signBody(Buffer.from('x'), 'another-secret')],
  ])('rejects %s', (_case, header) => {
    expect(isValidSignature(Buffer.from('x'), header, TEST_APP_SECRET)).toBe(false);
  });

  it('rejects a body changed by one byte', () => {
    const header = signBody(body, TEST_APP_SECRET);
    const tampered = Buffer.from(body);
    const index = tampered.length - 2;
    tampered.writeUInt8(tampered.readUInt8(index) ^ 1, index);
    expect(isValidSignature(tampered, header, TEST_APP_SECRET)).toBe(false);
  });

  it('never accepts anything when the app secret is empty', () => {
    expect(isValidSignature(body, signBody(body, ''), '')).toBe(false);
  });
});
