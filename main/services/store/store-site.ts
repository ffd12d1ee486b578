/**
 * The storefront as it would be published now: the draft, the catalogue's products it picks
 * (their stock less what pending orders hold back), their pictures, and the site generated from
 * them. The preview, the publish and the export all build the site here, so what the owner
 * previews is what shoppers get.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { StoreDraft } from '../../../shared/store/draft';
import { storefrontConfig, type ConfigCatalogueProduct } from '../../../shared/store/config';
import type { StorefrontConfig } from '../../../shared/store/storefront';
import type { ProductService } from '../products/product-service';
import { generateStorefront } from './storefront/generate';
import type { ImageCache } from './storefront/images';
import type { SiteProduct, StorefrontSite } from './storefront/site';

export interface BuiltSite {
  config: StorefrontConfig;
  site: StorefrontSite;
}

/** The bytes of a `data:image/...;base64,` picture, or null. */
export function pictureBytes(dataUrl: string | null): Buffer | null {
  if (dataUrl === null) return null;
  const comma = dataUrl.indexOf(',');
  if (comma < 0) return null;
  return Buffer.from(dataUrl.slice(comma + 1), 'base64');
}

export class StoreSite {
  private readonly countSold: Database.Statement<[string], { n: number }>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      products: ProductService;
      reserved: () => Map<string, number>;
      images: ImageCache;
    },
  ) {
    this.countSold = deps.sql.prepare(
      'SELECT count(*) AS n FROM products WHERE id IN (SELECT value FROM json_each(?)) AND archived_at IS NULL',
    );
  }

  /**
   * How many of the draft's online products the catalogue still sells: the checklist's count,
   * read on every save, so without loading each product and its picture.
   */
  onlineCount(draft: StoreDraft): number {
    const ids = draft.products.items.filter((item) => item.online).map((item) => item.productId);
    return this.countSold.get(JSON.stringify([...new Set(ids)]))?.n ?? 0;
  }

  /** The catalogue products the draft picks, as the config and the generator read them. */
  picked(draft: StoreDraft): { catalogue: ConfigCatalogueProduct[]; products: SiteProduct[] } {
    const reserved = this.deps.reserved();
    const catalogue: ConfigCatalogueProduct[] = [];
    const products: SiteProduct[] = [];
    for (const item of draft.products.items) {
      let product;
      try {
        product = this.deps.products.get(item.productId);
      } catch {
        continue; // removed from the catalogue since it was picked
      }
      catalogue.push({
        id: product.id,
        name: product.name,
        priceKobo: product.priceKobo,
        stock: product.stock,
        reserved: reserved.get(product.id) ?? 0,
        archived: product.archived,
      });
      if (!item.online || product.archived) continue;
      products.push({
        id: product.id,
        name: product.name,
        description: item.description,
        category: product.category,
        priceKobo: item.priceKobo ?? product.priceKobo,
        available: Math.max(0, product.stock - (reserved.get(product.id) ?? 0)),
        image: pictureBytes(item.photo ?? product.image),
        updatedAt: product.updatedAt,
      });
    }
    return { catalogue, products };
  }

  config(draft: StoreDraft): StorefrontConfig {
    return storefrontConfig(draft, this.picked(draft).catalogue);
  }

  async build(
    draft: StoreDraft,
    options: { orderAction: string | null; siteUrl: string | null },
  ): Promise<BuiltSite> {
    const { catalogue, products } = this.picked(draft);
    const config = storefrontConfig(draft, catalogue);
    const site = await generateStorefront({
      draft,
      config,
      products,
      images: this.deps.images,
      orderAction: options.orderAction,
      siteUrl: options.siteUrl,
    });
    return { config, site };
  }
}
