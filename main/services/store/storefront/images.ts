/**
 * The storefront's pictures: each product photo and the logo as WebP at a few widths, never
 * wider than the picture itself. Encoding is the slow part of building a site, so results are
 * kept on disk keyed by the source bytes (and the encoder settings): republishing 500 products
 * re-encodes only the photos that changed. A picture's site path is named by the same key
 * (`img/<key>-<width>.webp`), so an unchanged photo keeps its address and the server stores it
 * once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const PRODUCT_WIDTHS: readonly number[] = [160, 320, 640];
export const LOGO_WIDTHS: readonly number[] = [96, 192];
export const WEBP_QUALITY = 70;
/** sharp's effort 2 of 6: files about 3 % larger than its default 4, made in half the time. */
const WEBP_EFFORT = 2;
/** Changing the encoder's settings changes every key, so no stale encoding is ever reused. */
const ENCODING = `webp-q${WEBP_QUALITY}-e${WEBP_EFFORT}-v1`;
/** Enough for a 48-megapixel phone photo; more is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;
/** What the wizard takes; anything else (SVG, TIFF, GIF …) is refused rather than rendered. */
const ACCEPTED_FORMATS = new Set<string>(['jpeg', 'png', 'webp']);
/** Hex characters of the key in a site path: 80 bits, short enough to repeat in every srcset. */
const PATH_KEY_LENGTH = 20;

export interface ImageVariant {
  width: number;
  height: number;
  /** The path in the site: `img/<key>-<width>.webp`. */
  path: string;
  body: Buffer;
}

export interface SiteImage {
  key: string;
  /** Narrowest first. */
  variants: ImageVariant[];
}

interface Sidecar {
  /** The picture's size upright (after its EXIF orientation). */
  width: number;
  height: number;
  /** Height of each width encoded so far. */
  heights: Record<string, number>;
}

/** The widths to make of a picture `sourceWidth` wide: those narrower, and itself for the rest. */
export function variantWidths(sourceWidth: number, widths: readonly number[]): number[] {
  const narrower = widths.filter((width) => width < sourceWidth);
  const result = narrower.length < widths.length ? [...narrower, sourceWidth] : narrower;
  return [...new Set(result)].sort((a, b) => a - b);
}

function isSidecar(value: unknown): value is Sidecar {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.width === 'number' &&
    typeof record.height === 'number' &&
    typeof record.heights === 'object' &&
    record.heights !== null
  );
}

async function writeAtomically(file: string, body: Buffer | string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, body);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export class ImageCache {
  /** Widths encoded and widths read back from disk since this cache was made. */
  readonly stats = { encoded: 0, reused: 0 };
  private readonly pending = new Map<string, Promise<SiteImage>>();
  private ready: Promise<unknown> | null = null;

  constructor(private readonly folder: string) {}

  /**
   * The picture as WebP at `widths` (those not wider than it). Throws when the bytes are not a
   * picture sharp can read; the caller decides what a missing picture means.
   */
  variants(source: Buffer, widths: readonly number[] = PRODUCT_WIDTHS): Promise<SiteImage> {
    const key = createHash('sha256').update(ENCODING).update('\0').update(source).digest('hex');
    const job = `${key}:${widths.join(',')}`;
    let result = this.pending.get(job);
    if (result === undefined) {
      result = this.make(key, source, widths).finally(() => this.pending.delete(job));
      this.pending.set(job, result);
    }
    return result;
  }

  private file(key: string, name: string): string {
    return path.join(this.folder, `${key}${name}`);
  }

  private async readSidecar(key: string): Promise<Sidecar | null> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file(key, '.json'), 'utf8'));
      return isSidecar(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  private async make(key: string, source: Buffer, widths: readonly number[]): Promise<SiteImage> {
    this.ready ??= mkdir(this.folder, { recursive: true });
    await this.ready;
    let sidecar = await this.readSidecar(key);
    if (sidecar === null) {
      const metadata = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      if (!ACCEPTED_FORMATS.has(metadata.format)) {
        throw new Error(`a ${metadata.format} file is not a PNG, JPEG or WebP picture`);
      }
      const upright = metadata.autoOrient;
      sidecar = { width: upright.width, height: upright.height, heights: {} };
    }
    const wanted = variantWidths(sidecar.width, widths);
    const variants = new Map<number, ImageVariant>();
    const missing: number[] = [];
    for (const width of wanted) {
      const height = sidecar.heights[String(width)];
      const body =
        height === undefined ? null : await readFile(this.file(key, `-${width}.webp`)).catch(() => null);
      if (height === undefined || body === null) missing.push(width);
      else variants.set(width, { width, height, path: this.sitePath(key, width), body });
    }
    if (missing.length > 0) {
      for (const variant of await this.encode(key, source, missing)) {
        variants.set(variant.width, variant);
        sidecar.heights[String(variant.width)] = variant.height;
        await writeAtomically(this.file(key, `-${variant.width}.webp`), variant.body);
      }
      await writeAtomically(this.file(key, '.json'), JSON.stringify(sidecar));
    }
    this.stats.encoded += missing.length;
    this.stats.reused += wanted.length - missing.length;
    return { key, variants: wanted.map((width) => variants.get(width)).filter((v) => v !== undefined) };
  }

  /** Decodes the picture once, at the widest width wanted, and makes each width from that. */
  private async encode(key: string, source: Buffer, widths: number[]): Promise<ImageVariant[]> {
    const widest = Math.max(...widths);
    const { data, info } = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS })
      .autoOrient()
      .resize({ width: widest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels };
    return Promise.all(
      widths.map(async (width) => {
        let pipeline = sharp(data, { raw });
        if (width < raw.width) pipeline = pipeline.resize({ width });
        const out = await pipeline
          .webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT })
          .toBuffer({ resolveWithObject: true });
        return {
          width,
          height: out.info.height,
          path: this.sitePath(key, width),
          body: out.data,
        };
      }),
    );
  }

  private sitePath(key: string, width: number): string {
    return `img/${key.slice(0, PATH_KEY_LENGTH)}-${width}.webp`;
  }
}
