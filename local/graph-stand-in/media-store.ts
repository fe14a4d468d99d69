import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../layers/core/ports/clock';

interface StoredMedia {
  bytes: Uint8Array;
  mimeType: string;
  /** base64, as Meta reports it in webhooks and `GET /{media_id}`. */
  sha256: string;
}

/** Where a download URL points, once issued: the path mimics Meta's CDN (`lookaside.fbsbx.com`). */
export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/**
 * Uploaded media and the short-lived download URLs `GET /{media_id}` hands out. Each lookup
 * issues a fresh URL; an expired or unknown one answers 404, which makes clients take the
 * refresh path.
 */
export class MediaStore {
  private readonly media = new Map<string, StoredMedia>();
  private readonly urls = new Map<string, { mediaId: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  register(bytes: Uint8Array, mimeType: string): string {
    // Meta's media ids are 15–16 digit numbers.
    const id = String(randomInt(100_000_000_000_000, 281_474_976_710_655));
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    this.media.set(id, { bytes: new Uint8Array(bytes), mimeType, sha256 });
    return id;
  }

  describe(mediaId: string, baseUrl: string) {
    const stored = this.media.get(mediaId);
    if (!stored) return undefined;
    const hash = randomBytes(16).toString('hex');
    const expiresAt = this.clock.now().getTime() + this.ttlMs;
    this.urls.set(hash, { mediaId, expiresAt });
    const query = new URLSearchParams({ mid: mediaId, ext: String(Math.floor(expiresAt / 1000)), hash });
    return {
      messaging_product: 'whatsapp',
      url: `${baseUrl}${MEDIA_DOWNLOAD_PATH}?${query.toString()}`,
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      file_size: stored.bytes.length,
      id: mediaId,
    };
  }

  download(hash: string | null): StoredMedia | undefined {
    const issued = hash === null ? undefined : this.urls.get(hash);
    if (!issued || issued.expiresAt <= this.clock.now().getTime()) return undefined;
    return this.media.get(issued.mediaId);
  }
}
