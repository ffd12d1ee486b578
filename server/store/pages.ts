/**
 * The few pages the server itself writes for a storefront's shoppers — an order's confirmation,
 * a refused order, a payment the provider could not take or confirm — small, without JavaScript,
 * dressed in the site's own `styles.css` from the site root (`/s/<slug>/` or a custom domain's
 * `/`). Every word of the shopper's or the shop's is escaped.
 */
import { formatNaira } from '../../shared/money';
import type { StorefrontConfig } from '../../shared/store/storefront';
import type { OrderView } from './orders';
import { PROVIDER_NAMES } from './payments/provider';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface PageFrame {
  /** The site root the page links from: `/s/<slug>/` or `/`. */
  base: string;
  shopName: string;
}

/**
 * `clearCart`: the page tells the site's cart.js to empty the shopper's cart (kept in the
 * browser under the store's slug), as the order it held has been placed.
 */
export function storePage(
  frame: PageFrame,
  title: string,
  body: string,
  clearCart?: { slug: string },
): string {
  const base = escapeHtml(frame.base);
  const store = clearCart === undefined ? '' : ` data-store="${escapeHtml(clearCart.slug)}"`;
  return [
    `<!doctype html><html lang="en-NG"${store}><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)} · ${escapeHtml(frame.shopName)}</title>`,
    `<link rel="stylesheet" href="${base}styles.css">`,
    clearCart === undefined ? '' : `<script src="${base}cart.js" defer></script>`,
    '</head>',
    `<body><main class="page"${clearCart === undefined ? '' : ' data-cart-clear'}><h1>${escapeHtml(title)}</h1>${body}`,
    `<p><a href="${base}">Back to ${escapeHtml(frame.shopName)}</a></p></main></body></html>`,
  ].join('');
}

/** A page that says what went wrong in a sentence and where to go from here. */
export function problemPage(frame: PageFrame, title: string, sentence: string, backTo?: string): string {
  const back =
    backTo === undefined ? '' : `<p><a href="${escapeHtml(backTo)}">Go back and change your order</a></p>`;
  return storePage(frame, title, `<p>${escapeHtml(sentence)}</p>${back}`);
}

const days = (min: number, max: number) =>
  min === max ? `${min} day${min === 1 ? '' : 's'}` : `${min}–${max} days`;

function whatsappLink(config: StorefrontConfig, number: number): string {
  if (config.whatsapp === '') {
    return config.phone === ''
      ? ''
      : `<p>Questions? Call ${escapeHtml(config.name)} on <a href="tel:${escapeHtml(config.phone.replace(/[^\d+]/g, ''))}">${escapeHtml(config.phone)}</a> and give your order number, ${number}.</p>`;
  }
  const text = encodeURIComponent(`Hello ${config.name}, I placed order ${number} on your online store.`);
  return `<p><a class="button" href="https://wa.me/${config.whatsapp}?text=${text}">Chat with ${escapeHtml(config.name)} on WhatsApp about order ${number}</a></p>`;
}

function payButton(frame: PageFrame, orderId: string, label: string): string {
  return `<form method="post" action="${escapeHtml(`${frame.base}order/${orderId}/pay`)}"><button type="submit">${escapeHtml(label)}</button></form>`;
}

/** What the shopper should know about paying for this order now. */
function paymentPart(frame: PageFrame, config: StorefrontConfig, view: OrderView): string {
  const { order } = view;
  const method = order.payment.method;
  const option = config.payments.find((payment) => payment.id === method);
  const instructions =
    option === undefined || option.instructions.trim() === ''
      ? ''
      : `<p class="instructions">${escapeHtml(option.instructions).replace(/\n/g, '<br>')}</p>`;
  const total = formatNaira(order.totalKobo);
  if (method === 'bankTransfer') {
    return `<h2>Pay by bank transfer</h2><p>Transfer ${total} and use <strong>${order.number}</strong> as the reference, so the shop can match your payment.</p>${instructions}`;
  }
  if (method === 'payOnDelivery') {
    return `<h2>Pay on delivery</h2><p>Pay ${total} when your order reaches you.</p>${instructions}`;
  }
  const provider = PROVIDER_NAMES[method];
  const paid = view.payments.find((payment) => payment.status === 'paid');
  if (paid !== undefined) {
    return `<h2>Paid</h2><p>You paid ${formatNaira(paid.amountKobo)} with ${provider}. Thank you.</p>`;
  }
  if (view.update?.status === 'cancelled') return '';
  const failed = view.payments.at(-1)?.status === 'failed';
  return failed
    ? `<h2>Not paid</h2><p>The payment with ${provider} did not go through, and the order is not paid yet.</p>${payButton(frame, order.id, `Try paying ${total} again`)}`
    : `<h2>Waiting for payment</h2><p>This order is not paid yet.</p>${payButton(frame, order.id, `Pay ${total} with ${provider}`)}`;
}

/** The confirmation page of an order: what was ordered, delivery, total, how to pay, the shop. */
export function orderPage(
  frame: PageFrame,
  config: StorefrontConfig,
  view: OrderView,
  notice?: string,
): string {
  const { order } = view;
  const lines = order.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.name)}</td><td>${line.quantity}</td><td>${formatNaira(line.totalKobo)}</td></tr>`,
    )
    .join('');
  const delivery = order.delivery.quoted
    ? 'price to be agreed with the shop'
    : order.delivery.priceKobo === 0
      ? 'free'
      : formatNaira(order.delivery.priceKobo);
  const when =
    order.delivery.option === 'pickup'
      ? 'Ready for pickup'
      : `Delivery to ${escapeHtml(order.customer.lgaCity === '' ? order.customer.state : `${order.customer.lgaCity}, ${order.customer.state}`)} in about ${days(order.delivery.daysMin, order.delivery.daysMax)}`;
  const status =
    view.update?.status === 'cancelled'
      ? '<p class="notice">The shop has cancelled this order.</p>'
      : view.update?.status === 'fulfilled'
        ? '<p class="notice">The shop has completed this order.</p>'
        : '';
  const body = [
    notice === undefined ? '' : `<p class="notice">${escapeHtml(notice)}</p>`,
    status,
    `<p>Thank you, ${escapeHtml(order.customer.name)}. ${escapeHtml(config.name)} has your order <strong>${order.number}</strong>.</p>`,
    '<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead><tbody>',
    lines,
    `<tr><td>${escapeHtml(order.delivery.label)}</td><td></td><td>${delivery}</td></tr>`,
    `</tbody><tfoot><tr><th>Total</th><td></td><th>${formatNaira(order.totalKobo)}</th></tr></tfoot></table>`,
    `<p>${when}.</p>`,
    paymentPart(frame, config, view),
    whatsappLink(config, order.number),
  ].join('');
  return storePage(frame, `Order ${order.number}`, body, { slug: config.slug });
}
