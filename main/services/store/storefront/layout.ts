/**
 * What every storefront page shares: the head (title, description, canonical and Open Graph
 * tags when the site's address is known), the header with the logo and the cart, and the footer
 * with the shop's contacts, social links and legal pages. All links are relative to the page
 * (`root` is `''`, `../` or `../../`), so the same files work under `/s/<slug>/`, at the root of
 * a custom domain and from an exported folder.
 */
import { parseNigerianPhone } from '../../../../shared/phone';
import type { StoreDraft } from '../../../../shared/store/draft';
import type { StorefrontConfig } from '../../../../shared/store/storefront';
import { join, markup, scriptJson, trusted, type Html, type HtmlPart } from './html';
import type { ImageVariant, SiteImage } from './images';
import type { SiteProduct } from './site';
import { whatsappLink } from './wording';

export interface SiteCategory {
  name: string;
  slug: string;
  products: SiteProduct[];
}

export interface SiteContext {
  draft: StoreDraft;
  config: StorefrontConfig;
  products: SiteProduct[];
  /** `p/<slug>.html` of each product id. */
  productPaths: Map<string, string>;
  images: Map<string, SiteImage>;
  logo: SiteImage | null;
  categories: SiteCategory[];
  /** The category page of each category name. */
  categoryPaths: Map<string, string>;
  orderAction: string | null;
  /** Absolute, ending in `/`; null when unknown. */
  siteUrl: string | null;
}

export interface PageSpec {
  path: string;
  title: string;
  description?: string;
  body: Html;
  /** Site path of a picture for Open Graph (`img/….webp`). */
  image?: string;
  type?: 'website' | 'product';
  /** Structured data for search engines, as JSON-LD. */
  jsonLd?: unknown;
}

/** `''` for a page at the site root, `../` one folder down, and so on. */
export function rootOf(path: string): string {
  return '../'.repeat(path.split('/').length - 1);
}

export function absolute(context: SiteContext, path: string): string | null {
  if (context.siteUrl === null) return null;
  return `${context.siteUrl}${path === 'index.html' ? '' : path}`;
}

function srcset(root: string, variants: readonly ImageVariant[]): string {
  return variants.map((variant) => `${root}${variant.path} ${variant.width}w`).join(', ');
}

/**
 * A picture with its WebP widths: `width`/`height` of the widest keep the layout still while it
 * loads. `load`: `lazy` (the default), `eager` (the small logo) or `first` (the page's main
 * picture, fetched before the rest).
 */
export function picture(
  root: string,
  image: SiteImage,
  options: { alt: string; sizes: string; load?: 'lazy' | 'eager' | 'first'; defaultWidth?: number },
): Html {
  const widest = image.variants[image.variants.length - 1];
  if (widest === undefined) return markup``;
  const fallback = image.variants.find((variant) => variant.width >= (options.defaultWidth ?? 320)) ?? widest;
  const load = options.load ?? 'lazy';
  const loading = trusted(
    load === 'lazy' ? ' loading="lazy"' : load === 'first' ? ' fetchpriority="high"' : '',
  );
  return markup`<img src="${root}${fallback.path}" srcset="${srcset(root, image.variants)}" sizes="${options.sizes}" width="${widest.width}" height="${widest.height}" alt="${options.alt}"${loading} decoding="async">`;
}

/** An https link to the shop's page on a social network, from a handle or an address. */
export function socialUrl(network: 'instagram' | 'facebook' | 'x', value: string): string | null {
  const hosts = {
    instagram: ['instagram.com'],
    facebook: ['facebook.com', 'fb.com'],
    x: ['x.com', 'twitter.com'],
  }[network];
  let text = value.trim();
  if (text === '') return null;
  if (
    !/^https?:\/\//i.test(text) &&
    hosts.some((host) =>
      text
        .toLowerCase()
        .replace(/^www\./, '')
        .startsWith(`${host}/`),
    )
  ) {
    text = `https://${text}`;
  }
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const host = url.hostname.toLowerCase();
      if (!hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return null;
      url.protocol = 'https:';
      return url.toString();
    } catch {
      return null;
    }
  }
  const handle = text.replace(/^@/, '');
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(handle)) return null;
  if (network === 'instagram') return `https://www.instagram.com/${handle}/`;
  if (network === 'facebook') return `https://www.facebook.com/${handle}`;
  return `https://x.com/${handle}`;
}

/** "tel:+2348031234567" for a number the phone rules accept, else null. */
export function telLink(phone: string): string | null {
  const parsed = parseNigerianPhone(phone);
  return parsed.ok ? `tel:${parsed.e164}` : null;
}

function header(context: SiteContext, root: string): Html {
  const logo = context.logo;
  const widest = logo?.variants[logo.variants.length - 1];
  // The logo shows 40 px high; its width follows its shape.
  const logoHtml =
    logo !== null && widest !== undefined
      ? picture(root, logo, {
          alt: '',
          sizes: `${Math.max(1, Math.round((40 * widest.width) / widest.height))}px`,
          load: 'eager',
          defaultWidth: 96,
        })
      : null;
  return markup`<header class="site"><div class="page">
<a class="brand" href="${root}index.html">${logoHtml}<span>${context.config.name}</span></a>
<nav aria-label="Store"><a href="${root}products/1.html">Products</a><a href="${root}delivery.html">Delivery</a><a href="${root}cart.html" data-cart hidden>Cart (<span data-cart-count>0</span>)</a></nav>
</div></header>`;
}

function footer(context: SiteContext, root: string): Html {
  const business = context.draft.business;
  const launch = context.draft.launch;
  const address = [business.address, business.state ?? ''].filter((part) => part.trim() !== '');
  const tel = telLink(business.phone);
  const social: [string, string | null][] = [
    [
      'WhatsApp',
      context.config.whatsapp === ''
        ? null
        : whatsappLink(context.config.whatsapp, `Hello ${context.config.name}`),
    ],
    ['Instagram', socialUrl('instagram', launch.instagram)],
    ['Facebook', socialUrl('facebook', launch.facebook)],
    ['X', socialUrl('x', launch.x)],
  ];
  const socialLinks = social.filter((entry): entry is [string, string] => entry[1] !== null);
  const phone = tel === null ? business.phone : markup`<a href="${tel}">${business.phone}</a>`;
  const socialList = socialLinks.map(
    ([label, href]) => markup`<li><a href="${href}" rel="noopener">${label}</a></li>`,
  );
  return markup`<footer class="site"><div class="page">
<p><strong>${context.config.name}</strong></p>
${address.length > 0 && markup`<p>${address.join(', ')}</p>`}
${business.hours !== '' && markup`<p>Opening hours: ${business.hours}</p>`}
${business.phone !== '' && markup`<p>Phone: ${phone}</p>`}
${socialList.length > 0 && markup`<nav aria-label="Social media"><ul>${socialList}</ul></nav>`}
<nav aria-label="Store information"><ul><li><a href="${root}delivery.html">Delivery prices</a></li><li><a href="${root}terms.html">Terms of sale</a></li><li><a href="${root}privacy.html">Privacy</a></li><li><a href="${root}refunds.html">Refunds</a></li></ul></nav>
<p class="muted">Prices are in naira (₦).</p>
</div></footer>`;
}

export function layout(context: SiteContext, page: PageSpec): string {
  const root = rootOf(page.path);
  const name = context.config.name;
  const title = page.path === 'index.html' ? name : `${page.title} · ${name}`;
  const canonical = absolute(context, page.path);
  const imageUrl = page.image === undefined ? null : absolute(context, page.image);
  const icon = context.logo?.variants[0];
  const description = page.description?.replace(/\s+/g, ' ').trim().slice(0, 160) ?? '';
  const head: HtmlPart[] = [
    description !== '' && markup`<meta name="description" content="${description}">`,
    canonical !== null &&
      markup`<link rel="canonical" href="${canonical}">
<meta property="og:url" content="${canonical}">`,
    markup`<meta property="og:type" content="${page.type ?? 'website'}">
<meta property="og:site_name" content="${name}">
<meta property="og:title" content="${page.title}">`,
    description !== '' && markup`<meta property="og:description" content="${description}">`,
    imageUrl !== null && markup`<meta property="og:image" content="${imageUrl}">`,
    page.jsonLd !== undefined &&
      markup`<script type="application/ld+json">${scriptJson(page.jsonLd)}</script>`,
  ];
  return markup`<!doctype html>
<html lang="en-NG" data-store="${context.config.slug}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${join(
  head.filter((part) => part !== false),
  '\n',
)}
<meta name="theme-color" content="#0a5c36">
<link rel="icon" href="${icon === undefined ? 'data:,' : `${root}${icon.path}`}">
<link rel="stylesheet" href="${root}styles.css">
<script src="${root}cart.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header(context, root)}
<main id="main" class="page">
${page.body}
</main>
${footer(context, root)}
</body>
</html>
`.value;
}
