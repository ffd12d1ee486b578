/**
 * The storefront's pages: home, the product lists (all products and each category, paged),
 * a page per product with its order form, the cart, delivery prices, the legal pages and 404.
 * Every order form is a plain HTML form whose fields are what `orderInputFromForm` reads, so a
 * phone without JavaScript can still order.
 */
import { formatNaira } from '../../../../shared/money';
import { legalTemplates } from '../../../../shared/store/legal';
import type { StockVisibility } from '../../../../shared/store/draft';
import { MAX_ORDER_QUANTITY, type StorefrontConfig } from '../../../../shared/store/storefront';
import { NIGERIAN_STATES, stateLabel } from '../../../../shared/states';
import { join, markup, plainTextHtml, scriptJson, type Html } from './html';
import { absolute, layout, picture, rootOf, type SiteContext } from './layout';
import type { SiteProduct } from './site';
import { daysText, deliveryPriceText, orderMessage, stockText, whatsappLink } from './wording';

/** Products on one list page, and on the home page. */
export const LIST_PAGE_SIZE = 48;
export const HOME_PRODUCTS = 12;

const CARD_SIZES = '(min-width: 60em) 15rem, (min-width: 40em) 30vw, 46vw';

type DeliveryEntry = StorefrontConfig['delivery'][number];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function stockLine(context: SiteContext, product: SiteProduct): Html | null {
  const stock = stockText(product.available, context.draft.products.stockVisibility);
  if (stock === null) return null;
  return markup`<span class="stock${stock.out ? ' out' : ''}">${stock.text}</span>`;
}

function productCard(context: SiteContext, root: string, product: SiteProduct, first: boolean): Html {
  const image = context.images.get(product.id);
  const href = `${root}${context.productPaths.get(product.id) ?? ''}`;
  // The name in the same link says what the picture is, so the picture's alt is empty.
  const media =
    image === undefined
      ? markup`<span class="noimg"></span>`
      : picture(root, image, {
          alt: '',
          sizes: CARD_SIZES,
          load: first ? 'first' : 'lazy',
          defaultWidth: 320,
        });
  const price = formatNaira(product.priceKobo);
  return markup`<li class="card"><a href="${href}">${media}<span class="name">${product.name}</span></a><span class="price">${price}</span>${stockLine(context, product)}</li>`;
}

function productGrid(context: SiteContext, root: string, products: readonly SiteProduct[]): Html {
  if (products.length === 0) return markup`<p>No products here yet.</p>`;
  const cards = products.map((product, index) => productCard(context, root, product, index === 0));
  return markup`<ul class="grid">
${join(cards, '\n')}
</ul>`;
}

/** `products/3.html` or `c/shoes/3.html`: the pages of one list. */
export function listPath(base: string, page: number): string {
  return `${base}/${page}.html`;
}

function pager(root: string, base: string, page: number, pages: number): Html | null {
  if (pages <= 1) return null;
  const link = (n: number) => `${root}${listPath(base, n)}`;
  const items: Html[] = [];
  if (page > 1) items.push(markup`<li><a href="${link(page - 1)}" rel="prev">Previous</a></li>`);
  for (let n = 1; n <= pages; n += 1) {
    items.push(
      n === page
        ? markup`<li><span aria-current="page">${n}</span></li>`
        : markup`<li><a href="${link(n)}" aria-label="Page ${n}">${n}</a></li>`,
    );
  }
  if (page < pages) items.push(markup`<li><a href="${link(page + 1)}" rel="next">Next</a></li>`);
  return markup`<nav aria-label="Pages"><ul class="pager">${items}</ul></nav>`;
}

function categoryLinks(context: SiteContext, root: string): Html | null {
  if (context.categories.length === 0) return null;
  const links = context.categories.map(
    (category) =>
      markup`<li><a href="${root}${listPath(`c/${category.slug}`, 1)}">${category.name} (${category.products.length})</a></li>`,
  );
  return markup`<ul class="tags">${links}</ul>`;
}

export function homePage(context: SiteContext): string {
  const business = context.draft.business;
  const config = context.config;
  const count = context.products.length;
  const all = markup`<a class="button alt" href="products/1.html">See all ${plural(count, 'product')}</a>`;
  const chat =
    config.whatsapp === ''
      ? null
      : markup`<a class="button" href="${whatsappLink(config.whatsapp, `Hello ${config.name}`)}">Chat on WhatsApp</a>`;
  const categories = categoryLinks(context, '');
  const body = markup`<h1>${config.name}</h1>
${business.description !== '' && markup`<div class="lead">${plainTextHtml(business.description)}</div>`}
${business.hours !== '' && markup`<p><strong>Opening hours:</strong> ${business.hours}</p>`}
<p class="actions">${chat}${count > 0 && all}</p>
${categories !== null && markup`<h2>Shop by category</h2>\n${categories}`}
<h2>Products</h2>
${productGrid(context, '', context.products.slice(0, HOME_PRODUCTS))}
${count > HOME_PRODUCTS && markup`<p class="actions">${all}</p>`}`;
  const logo = context.logo?.variants.at(-1);
  return layout(context, {
    path: 'index.html',
    title: config.name,
    description: business.description,
    body,
    ...(logo === undefined ? {} : { image: logo.path }),
  });
}

/** The pages of one product list: all products (`products/`) or one category (`c/<slug>/`). */
export function listPages(
  context: SiteContext,
  base: string,
  title: string,
  products: readonly SiteProduct[],
): { path: string; body: string }[] {
  const pages = Math.max(1, Math.ceil(products.length / LIST_PAGE_SIZE));
  const result: { path: string; body: string }[] = [];
  for (let page = 1; page <= pages; page += 1) {
    const path = listPath(base, page);
    const root = rootOf(path);
    const slice = products.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
    const body = markup`<h1>${title}</h1>
<p class="muted">${plural(products.length, 'product')}${pages > 1 && ` · page ${page} of ${pages}`}</p>
${page === 1 && base === 'products' && categoryLinks(context, root)}
${productGrid(context, root, slice)}
${pager(root, base, page, pages)}`;
    result.push({
      path,
      body: layout(context, {
        path,
        title: pages > 1 ? `${title}, page ${page}` : title,
        description: `${title} at ${context.config.name}`,
        body,
      }),
    });
  }
  return result;
}

function stateOptions(): Html {
  return join(NIGERIAN_STATES.map((state) => markup`<option value="${state}">${stateLabel(state)}</option>`));
}

/** A label, an optional hint the control is described by, and the control. */
function field(id: string, label: string, control: (describedBy: Html) => Html, hint?: string): Html {
  const hintId = `${id}-hint`;
  const describedBy = hint === undefined ? markup`` : markup` aria-describedby="${hintId}"`;
  const hintHtml = hint === undefined ? null : markup`<span class="hint" id="${hintId}">${hint}</span>\n`;
  return markup`<label for="${id}">${label}</label>
${hintHtml}${control(describedBy)}`;
}

function choice(name: string, value: string, checked: boolean, label: string, hints: Html[]): Html {
  return markup`<label class="choice"><input type="radio" name="${name}" value="${value}" required${checked && ' checked'}><span>${label}${hints}</span></label>`;
}

/**
 * The checkout: the shopper's details, delivery and payment. `items` are the form's `item`
 * fields (a quantity select on a product page; hidden fields the cart fills in).
 */
function orderForm(context: SiteContext, root: string, items: Html, checkout: boolean): Html {
  const config = context.config;
  const action = context.orderAction ?? `${root}order`;
  const delivery =
    config.delivery.length === 0
      ? markup`<p class="notice">This store has not set up delivery yet.</p>`
      : join(
          config.delivery.map((option) =>
            choice('delivery', option.id, config.delivery.length === 1, option.label, [
              markup` <span class="hint" data-quote="${option.id}">${deliveryPriceText(option, config.zones)}</span>`,
              ...(option.note === '' ? [] : [markup`<span class="hint">${option.note}</span>`]),
            ]),
          ),
          '\n',
        );
  const payments =
    config.payments.length === 0
      ? markup`<p class="notice">This store has not set up payment yet.</p>`
      : join(
          config.payments.map((payment) =>
            choice(
              'payment',
              payment.id,
              config.payments.length === 1,
              payment.label,
              payment.instructions === ''
                ? []
                : [markup`<span class="hint">${join(payment.instructions.split('\n'), '<br>')}</span>`],
            ),
          ),
          '\n',
        );
  const attributes = checkout ? markup` data-checkout hidden` : markup``;
  return markup`<form method="post" action="${action}" class="order" accept-charset="utf-8"${attributes}>
${items}
<h2>Your details</h2>
${field('o-name', 'Your name', (d) => markup`<input id="o-name" name="name" autocomplete="name" required minlength="2" maxlength="120"${d}>`)}
${field(
  'o-phone',
  'Phone number',
  (d) =>
    markup`<input id="o-phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required maxlength="30"${d}>`,
  'A Nigerian mobile number, like 0803 123 4567. We call or WhatsApp you about your order.',
)}
${field(
  'o-email',
  'Email (optional)',
  (d) => markup`<input id="o-email" name="email" type="email" autocomplete="email" maxlength="200"${d}>`,
  'For your receipt.',
)}
${field(
  'o-state',
  'State',
  (d) =>
    markup`<select id="o-state" name="state" required autocomplete="address-level1"${d}><option value="">Choose your state</option>${stateOptions()}</select>`,
)}
${field(
  'o-lga',
  'LGA, town or area',
  (d) => markup`<input id="o-lga" name="lgaCity" autocomplete="address-level2" maxlength="120"${d}>`,
  'In Lagos it decides Island or Mainland delivery, for example Lekki or Ikeja.',
)}
${field(
  'o-address',
  'Delivery address',
  (d) =>
    markup`<textarea id="o-address" name="address" autocomplete="street-address" maxlength="300" rows="3"${d}></textarea>`,
  'Street, house number and a landmark. Not needed for pickup.',
)}
<fieldset><legend>Delivery</legend>
${delivery}
<p class="hint"><a href="${root}delivery.html">Delivery prices and times by state</a></p>
</fieldset>
<fieldset><legend>Payment</legend>
${payments}
</fieldset>
${field(
  'o-note',
  'Note for the shop (optional)',
  (d) => markup`<textarea id="o-note" name="note" maxlength="500" rows="2"${d}></textarea>`,
)}
<p class="actions"><button type="submit">Place order</button></p>
</form>`;
}

/** "1500.00": schema.org wants the price as a decimal number. */
function decimalPrice(kobo: number): string {
  return `${Math.floor(kobo / 100)}.${String(kobo % 100).padStart(2, '0')}`;
}

export function productPage(context: SiteContext, product: SiteProduct): { path: string; body: string } {
  const path = context.productPaths.get(product.id) ?? `p/${product.id}.html`;
  const root = rootOf(path);
  const config = context.config;
  const image = context.images.get(product.id);
  const category = product.category === '' ? undefined : context.categoryPaths.get(product.category);
  const canOrder = product.available > 0;
  const productUrl = absolute(context, path);
  const message = orderMessage(config.name, [
    { name: product.name, quantity: 1, unitPriceKobo: product.priceKobo },
  ]);
  const whatsapp =
    config.whatsapp === '' || !canOrder
      ? null
      : markup`<a class="button alt" href="${whatsappLink(config.whatsapp, productUrl === null ? message : `${message}\n${productUrl}`)}">Order on WhatsApp</a>`;
  const quantities = offeredQuantity(product.available, context.draft.products.stockVisibility);
  const options = Array.from(
    { length: quantities },
    (_, index) => markup`<option value="${product.id}:${index + 1}">${index + 1}</option>`,
  );
  const items = markup`<label for="o-item">Quantity</label>
<select id="o-item" name="item">${options}</select>
<p class="actions"><button type="button" data-add="${product.id}" data-name="${product.name}" data-price="${product.priceKobo}" data-max="${quantities}" data-url="${path}" data-cart-url="${root}cart.html" hidden>Add to cart</button>${whatsapp}<span role="status" data-added></span></p>`;
  const crumb =
    category === undefined
      ? markup`<a href="${root}products/1.html">Products</a>`
      : markup`<a href="${root}${category}">${product.category}</a>`;
  const photo =
    image === undefined
      ? markup`<span class="noimg"></span>`
      : picture(root, image, {
          alt: product.name,
          sizes: '(min-width: 48em) 30rem, 100vw',
          load: 'first',
          defaultWidth: 640,
        });
  const ask =
    config.whatsapp === ''
      ? null
      : markup` <a href="${whatsappLink(config.whatsapp, `Hello ${config.name}, is ${product.name} coming back?`)}">Ask us on WhatsApp</a>`;
  const body = markup`<nav aria-label="Breadcrumb"><p><a href="${root}index.html">Home</a> › ${crumb}</p></nav>
<article class="product">
<figure>${photo}</figure>
<div>
<h1>${product.name}</h1>
<p class="price">${formatNaira(product.priceKobo)}</p>
${stockLine(context, product)}
${product.description !== '' && markup`<div class="description">${plainTextHtml(product.description, 3)}</div>`}
${canOrder ? orderForm(context, root, items, false) : markup`<p class="notice">This product cannot be ordered right now.${ask}</p>`}
</div>
</article>`;
  const widest = image?.variants.at(-1);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.name,
    ...(product.description === '' ? {} : { description: product.description }),
    ...(widest === undefined || context.siteUrl === null ? {} : { image: absolute(context, widest.path) }),
    offers: {
      '@type': 'Offer',
      price: decimalPrice(product.priceKobo),
      priceCurrency: 'NGN',
      availability: canOrder ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      ...(productUrl === null ? {} : { url: productUrl }),
    },
  };
  return {
    path,
    body: layout(context, {
      path,
      title: product.name,
      description:
        product.description !== ''
          ? product.description
          : `${product.name} for ${formatNaira(product.priceKobo)} at ${config.name}`,
      body,
      type: 'product',
      ...(widest === undefined ? {} : { image: widest.path }),
      jsonLd,
    }),
  };
}

/** Up to this many of a product are offered when the store does not show its stock. */
const UNSHOWN_STOCK_OFFER = 10;

/**
 * How many of a product the quantity list and the cart offer. A store that hides its stock (or
 * shows only in or out) must not give it away through the length of the list: it offers a fixed
 * number, and the server's pricing says "only N left" if an order asks for more than there is.
 */
function offeredQuantity(available: number, visibility: StockVisibility): number {
  if (available <= 0) return 0;
  if (visibility === 'exact') return Math.min(available, MAX_ORDER_QUANTITY);
  return UNSHOWN_STOCK_OFFER;
}

/** What cart.js needs on the cart page: each product's name, price, stock and page; delivery rules. */
function cartData(context: SiteContext): unknown {
  const config = context.config;
  return {
    name: config.name,
    wa: config.whatsapp,
    shopState: config.shopState,
    products: Object.fromEntries(
      context.products.map((product) => [
        product.id,
        [
          product.name,
          product.priceKobo,
          offeredQuantity(product.available, context.draft.products.stockVisibility),
          context.productPaths.get(product.id) ?? '',
        ],
      ]),
    ),
    zones: config.zones.map((zone) => ({
      id: zone.id,
      priceKobo: zone.priceKobo,
      states: zone.states,
      ...(zone.places === undefined ? {} : { places: zone.places }),
      days: zone.days,
    })),
    delivery: config.delivery.map(({ id, label, pricing, priceKobo, days }) => ({
      id,
      label,
      pricing,
      priceKobo,
      days,
    })),
    payments: config.payments.map(({ id, label }) => ({ id, label })),
  };
}

export function cartPage(context: SiteContext): string {
  const config = context.config;
  const whatsapp =
    config.whatsapp === ''
      ? null
      : markup`<p class="actions"><a class="button alt" href="${whatsappLink(config.whatsapp, `Hello ${config.name}`)}" data-wa-cart hidden>Order the whole cart on WhatsApp</a></p>`;
  const body = markup`<h1>Your cart</h1>
<noscript><p class="notice">The cart needs JavaScript, which is off in this browser. You can still order each product from its own page${config.whatsapp !== '' && ', or on WhatsApp'}.</p></noscript>
<div data-cart-view>
<p class="notice" data-cart-notice role="status" hidden></p>
<p data-cart-empty>Your cart is empty. <a href="products/1.html">See the products</a></p>
<div class="table"><table hidden>
<caption>Items in your cart</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="num">Price</th></tr></thead>
<tbody></tbody>
<tfoot>
<tr><th scope="row" colspan="2">Subtotal</th><td class="num" data-subtotal></td></tr>
<tr><th scope="row" colspan="2">Delivery</th><td class="num" data-delivery-cost></td></tr>
<tr><th scope="row" colspan="2">Total</th><td class="num" data-total></td></tr>
</tfoot>
</table></div>
</div>
${whatsapp}
${orderForm(context, '', markup`<div data-items></div>`, true)}
<script type="application/json" id="store-data">${scriptJson(cartData(context))}</script>`;
  return layout(context, { path: 'cart.html', title: 'Your cart', body });
}

function zoneStates(config: StorefrontConfig, zone: StorefrontConfig['zones'][number]): Html {
  const states = zone.states.map((state) => {
    const places = zone.places?.[state];
    if (places !== undefined) return markup`${stateLabel(state)}: ${places.join(', ')}`;
    const shared = config.zones.some((other) => other.id !== zone.id && other.places?.[state] !== undefined);
    return markup`${stateLabel(state)}${shared && ' (everywhere else)'}`;
  });
  return join(states, '; ');
}

function deliveryRow(config: StorefrontConfig, option: DeliveryEntry): Html {
  let price: string;
  let time: string;
  if (option.pricing === 'free') {
    price = 'Free';
    time = daysText(option.days);
  } else if (option.pricing === 'fixed') {
    price = `${formatNaira(option.priceKobo)}${config.shopState === null ? '' : ` (${config.shopState} only)`}`;
    time = daysText(option.days);
  } else {
    price =
      option.pricing === 'quoted'
        ? 'Confirmed with you after your order'
        : option.priceKobo === 0
          ? 'Your zone’s price'
          : `Your zone’s price + ${formatNaira(option.priceKobo)}`;
    time = option.days.max === 0 ? 'Your zone’s time' : `Your zone’s time + ${daysText(option.days)}`;
  }
  const note = option.note === '' ? null : markup`<span class="hint">${option.note}</span>`;
  return markup`<tr><th scope="row">${option.label}${note}</th><td>${price}</td><td>${time}</td></tr>`;
}

function zoneTable(config: StorefrontConfig): Html | null {
  const byZone = config.delivery.filter((option) => option.pricing === 'zone' || option.pricing === 'quoted');
  if (byZone.length === 0) return null;
  const covered = new Set(config.zones.flatMap((zone) => zone.states));
  const notCovered = NIGERIAN_STATES.filter((state) => !covered.has(state));
  const rows = config.zones.map(
    (zone) =>
      markup`<tr><th scope="row">${zone.name}</th><td>${zoneStates(config, zone)}</td><td class="num">${formatNaira(zone.priceKobo)}</td><td>${daysText(zone.days)}</td></tr>`,
  );
  const couriers = byZone.map((option) => option.label).join(', ');
  return markup`<h2>Delivery zones</h2>
<p>${couriers} ${byZone.length === 1 ? 'delivers' : 'deliver'} by zone. Your state (and in Lagos, your LGA or area) decides the zone.</p>
<div class="table"><table>
<caption>Prices and times by zone</caption>
<thead><tr><th scope="col">Zone</th><th scope="col">States</th><th scope="col" class="num">Price</th><th scope="col">Time</th></tr></thead>
<tbody>
${join(rows, '\n')}
</tbody>
</table></div>
${notCovered.length > 0 && markup`<p class="notice">We do not deliver to ${notCovered.map(stateLabel).join(', ')} yet.</p>`}`;
}

export function deliveryPage(context: SiteContext): string {
  const config = context.config;
  const options =
    config.delivery.length === 0
      ? markup`<p class="notice">This store has not set up delivery yet.</p>`
      : markup`<div class="table"><table>
<caption>Ways to get your order</caption>
<thead><tr><th scope="col">Option</th><th scope="col">Price</th><th scope="col">Time</th></tr></thead>
<tbody>
${join(
  config.delivery.map((option) => deliveryRow(config, option)),
  '\n',
)}
</tbody>
</table></div>`;
  const body = markup`<h1>Delivery</h1>
${options}
<p class="muted">Times are working days from when we confirm your order.</p>
${zoneTable(config)}`;
  return layout(context, {
    path: 'delivery.html',
    title: 'Delivery',
    description: `Delivery prices and times from ${config.name}`,
    body,
  });
}

export const LEGAL_PAGES = [
  { key: 'terms', path: 'terms.html', title: 'Terms of sale' },
  { key: 'privacy', path: 'privacy.html', title: 'Privacy notice' },
  { key: 'refunds', path: 'refunds.html', title: 'Refund policy' },
] as const;

export function legalPage(context: SiteContext, page: (typeof LEGAL_PAGES)[number]): string {
  const business = context.draft.business;
  // Before the owner has written the page (the preview), the template stands in for it.
  const written = context.draft.legal[page.key].trim();
  const text =
    written !== ''
      ? written
      : legalTemplates({
          name: business.name,
          address: business.address,
          state: business.state,
          phone: business.phone,
          email: '',
        })[page.key];
  const first = /^#\s+(.+)\n?/.exec(text);
  const title = first?.[1]?.trim() ?? page.title;
  const rest = first === null ? text : text.slice(first[0].length);
  const body = markup`<div class="prose">
<h1>${title}</h1>
${plainTextHtml(rest, 2)}
</div>`;
  return layout(context, { path: page.path, title, description: `${title} of ${context.config.name}`, body });
}

/**
 * The page for an address that is not in the site. The server may send it for any depth of path,
 * so it links by absolute address when the site's is known and carries its own small style.
 */
export function notFoundPage(context: SiteContext): string {
  const name = context.config.name;
  const home = context.siteUrl ?? 'index.html';
  const products = `${context.siteUrl ?? ''}products/1.html`;
  return markup`<!doctype html>
<html lang="en-NG">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found · ${name}</title>
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<style>body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#1b1b1b}main{max-width:40rem;margin:0 auto;padding:2rem 1rem}a{color:#0a5c36}</style>
</head>
<body>
<main>
<h1>Page not found</h1>
<p>That page is not in ${name}’s store, or the product is no longer sold here.</p>
<p><a href="${home}">Go to the store’s home page</a> or <a href="${products}">see all products</a>.</p>
</main>
</body>
</html>
`.value;
}
