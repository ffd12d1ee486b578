/**
 * `cart.js`, the storefront's only script, and only an enhancement: every page works without it.
 * With it, product pages get "Add to cart", the header shows the cart, and the cart page lists
 * the cart (kept in localStorage per store, since stores share the sync server's origin), prices
 * delivery as the shopper picks their state with the rules of `priceOrder`, fills the checkout
 * form's `item` fields and builds the WhatsApp order. The store's data comes from the cart page's
 * inline `#store-data`, so the script is the same file for every store and every page.
 *
 * A page with a `[data-cart-clear]` element (the server's "order received" page) empties the cart
 * of the store named by `<html data-store="<slug>">` or by the attribute's value
 * (`data-cart-clear="<slug>"`).
 *
 * Written for old phone browsers (ES2015, no modules). Under Node (no `document`) it only sets
 * `globalThis.kasuwaCart` to its pricing and wording rules, which the unit test holds against
 * `priceOrder`, `formatNaira` and `orderMessage`.
 */
export const CART_SCRIPT = String.raw`(function () {
  'use strict';
  var MAX_QUANTITY = 100;

  function placeKey(text) {
    return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ').trim();
  }
  function escapeRegExp(text) {
    return text.replace(/[.*+?^$\{}()|[\]\\]/g, '\\$&');
  }
  function placeTest(places) {
    var keys = [];
    places.forEach(function (place) {
      var key = placeKey(place);
      if (key !== '' && keys.indexOf(key) < 0) keys.push(key);
    });
    if (keys.length === 0) return function () { return false; };
    var pattern = new RegExp('(?:^| )(?:' + keys.map(escapeRegExp).join('|') + ')(?: |$)');
    return function (key) { return pattern.test(key); };
  }
  function zoneFor(zones, state, lgaCity) {
    if (!state) return null;
    var rest = null;
    var partial = [];
    zones.forEach(function (zone) {
      if (zone.states.indexOf(state) < 0) return;
      var places = zone.places && zone.places[state];
      if (places === undefined) { if (rest === null) rest = zone; } else partial.push([zone, places]);
    });
    var key = placeKey(lgaCity);
    if (key !== '') {
      for (var i = 0; i < partial.length; i += 1) if (placeTest(partial[i][1])(key)) return partial[i][0];
    }
    return rest;
  }
  function naira(kobo) {
    var whole = Math.floor(kobo / 100);
    var rest = kobo % 100;
    var text = '₦' + String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return rest === 0 ? text : text + '.' + (rest < 10 ? '0' : '') + rest;
  }
  function daysText(days) {
    if (days.max === 0) return 'Same day';
    if (days.min === days.max) return days.max + (days.max === 1 ? ' day' : ' days');
    return days.min + '–' + days.max + ' days';
  }
  /** The delivery price of option id for a state and LGA, as priceOrder works it out. */
  function quote(store, id, state, lgaCity) {
    var option = null;
    store.delivery.forEach(function (candidate) { if (candidate.id === id) option = candidate; });
    if (option === null) return { ok: false, message: 'This store does not offer that delivery option' };
    if (option.pricing === 'free') return { ok: true, kobo: 0, quoted: false, days: option.days, zone: null };
    if (option.pricing === 'fixed') {
      if (store.shopState !== null && state !== store.shopState) {
        return { ok: false, message: option.label + ' reaches ' + store.shopState + ' only' };
      }
      return { ok: true, kobo: option.priceKobo, quoted: false, days: option.days, zone: null };
    }
    var zone = zoneFor(store.zones, state, lgaCity);
    if (zone === null) return { ok: false, message: 'This store does not deliver to ' + state + ' yet' };
    var days = { min: zone.days.min + option.days.min, max: zone.days.max + option.days.max };
    var quoted = option.pricing === 'quoted';
    return { ok: true, kobo: quoted ? 0 : zone.priceKobo + option.priceKobo, quoted: quoted, days: days, zone: zone.id };
  }
  function orderMessage(storeName, lines, details) {
    var out = ['Hello ' + storeName + ', I would like to order:'];
    var subtotal = 0;
    lines.forEach(function (line) {
      subtotal += line.unitPriceKobo * line.quantity;
      out.push(line.quantity + ' × ' + line.name + ' (' + naira(line.unitPriceKobo * line.quantity) + ')');
    });
    if (lines.length > 1) out.push('Subtotal: ' + naira(subtotal));
    (details || []).forEach(function (entry) {
      if (String(entry[1]).trim() !== '') out.push(entry[0] + ': ' + String(entry[1]).trim());
    });
    return out.join('\n');
  }

  var rules = { placeKey: placeKey, zoneFor: zoneFor, naira: naira, daysText: daysText, quote: quote, orderMessage: orderMessage };
  if (typeof document === 'undefined') { globalThis.kasuwaCart = rules; return; }

  var doc = document;
  var storage = null;
  try { storage = window.localStorage; } catch (error) { storage = null; }
  var KEY = 'kasuwa-cart:' + (doc.documentElement.getAttribute('data-store') || 'store');

  function each(selector, action, scope) {
    Array.prototype.forEach.call((scope || doc).querySelectorAll(selector), action);
  }
  function load() {
    try {
      var list = JSON.parse((storage && storage.getItem(KEY)) || '[]');
      return Array.isArray(list) ? list.filter(function (line) {
        return line && typeof line.id === 'string' && typeof line.qty === 'number' && line.qty > 0;
      }) : [];
    } catch (error) { return []; }
  }
  function save(list) {
    try { if (storage) storage.setItem(KEY, JSON.stringify(list)); } catch (error) { /* full or private */ }
  }
  function showCount(list) {
    var count = list.reduce(function (sum, line) { return sum + line.qty; }, 0);
    each('[data-cart]', function (link) { link.hidden = false; });
    each('[data-cart-count]', function (element) { element.textContent = String(count); });
  }
  function element(tag, text, attributes) {
    var node = doc.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  var clear = doc.querySelector('[data-cart-clear]');
  if (clear) {
    if (clear.getAttribute('data-cart-clear')) KEY = 'kasuwa-cart:' + clear.getAttribute('data-cart-clear');
    save([]);
  }
  showCount(load());

  each('[data-add]', function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var form = button.form;
      var field = form ? form.elements.namedItem('item') : null;
      var quantity = field ? parseInt(String(field.value).split(':')[1], 10) || 1 : 1;
      var id = button.getAttribute('data-add');
      var most = Math.min(MAX_QUANTITY, parseInt(button.getAttribute('data-max'), 10) || MAX_QUANTITY);
      var list = load();
      var line = null;
      list.forEach(function (candidate) { if (candidate.id === id) line = candidate; });
      if (line === null) {
        line = { id: id, name: button.getAttribute('data-name'), price: Number(button.getAttribute('data-price')), qty: 0, url: button.getAttribute('data-url') };
        list.push(line);
      }
      line.qty = Math.min(most, line.qty + quantity);
      save(list);
      showCount(list);
      var status = form ? form.querySelector('[data-added]') : null;
      if (status) {
        status.textContent = line.qty + ' in your cart. ';
        status.appendChild(element('a', 'View cart', { href: button.getAttribute('data-cart-url') || 'cart.html' }));
      }
    });
  });

  var data = doc.getElementById('store-data');
  var form = doc.querySelector('form[data-checkout]');
  if (data && form) cartPage(JSON.parse(data.textContent || '{}'), form);

  function cartPage(store, form) {
    var root = doc.querySelector('[data-cart-view]');
    var table = root.querySelector('table');
    var body = root.querySelector('tbody');
    var empty = root.querySelector('[data-cart-empty]');
    var notice = root.querySelector('[data-cart-notice]');
    var whatsapp = doc.querySelector('[data-wa-cart]');
    var list = load();
    var dropped = [];
    list = list.filter(function (line) {
      var product = store.products[line.id];
      if (!product || product[2] < 1) { dropped.push(line.name || 'An item'); return false; }
      line.name = product[0];
      line.price = product[1];
      line.url = product[3];
      line.qty = Math.max(1, Math.min(line.qty, product[2], MAX_QUANTITY));
      return true;
    });
    save(list);
    if (dropped.length > 0) {
      notice.textContent = dropped.join(', ') + (dropped.length === 1 ? ' is' : ' are') + ' no longer available and left your cart.';
      notice.hidden = false;
    }
    function value(name) {
      var field = form.elements.namedItem(name);
      return field && 'value' in field ? String(field.value) : '';
    }
    function checkedLabel(name, options) {
      var chosen = value(name);
      var label = '';
      options.forEach(function (option) { if (option.id === chosen) label = option.label; });
      return label;
    }
    function render() {
      body.textContent = '';
      list.forEach(function (line, index) {
        var row = doc.createElement('tr');
        var name = doc.createElement('td');
        name.appendChild(element('a', line.name, { href: line.url }));
        var quantityCell = doc.createElement('td');
        var input = element('input', null, { type: 'number', min: '1', max: String(Math.min(MAX_QUANTITY, store.products[line.id][2])), value: String(line.qty), inputmode: 'numeric', 'aria-label': 'Quantity of ' + line.name });
        input.addEventListener('change', function () {
          var most = Math.min(MAX_QUANTITY, store.products[line.id][2]);
          line.qty = Math.max(1, Math.min(most, parseInt(input.value, 10) || 1));
          input.value = String(line.qty);
          save(list);
          update();
        });
        quantityCell.appendChild(input);
        var remove = element('button', 'Remove', { type: 'button', class: 'alt small', 'aria-label': 'Remove ' + line.name });
        remove.addEventListener('click', function () {
          list.splice(index, 1);
          save(list);
          render();
        });
        name.appendChild(remove);
        row.appendChild(name);
        row.appendChild(quantityCell);
        row.appendChild(element('td', '', { class: 'num', 'data-line-total': '' }));
        body.appendChild(row);
      });
      update();
    }
    function update() {
      var holder = form.querySelector('[data-items]');
      holder.textContent = '';
      var subtotal = 0;
      list.forEach(function (line, index) {
        subtotal += line.price * line.qty;
        holder.appendChild(element('input', null, { type: 'hidden', name: 'item', value: line.id + ':' + line.qty }));
        var cell = body.querySelectorAll('[data-line-total]')[index];
        if (cell) cell.textContent = naira(line.price * line.qty);
      });
      var state = value('state');
      var lgaCity = value('lgaCity');
      var chosen = value('delivery');
      var delivery = null;
      store.delivery.forEach(function (option) {
        var result = quote(store, option.id, state, lgaCity);
        var text;
        if (!state && option.pricing !== 'free' && option.pricing !== 'fixed') text = 'Choose your state to see the price';
        else if (!result.ok) text = option.pricing === 'fixed' ? 'Not available in ' + state : result.message;
        else if (result.quoted) text = 'Price confirmed after your order · ' + daysText(result.days);
        else text = (result.kobo === 0 ? 'Free' : naira(result.kobo)) + ' · ' + daysText(result.days);
        each('[data-quote="' + option.id + '"]', function (span) { span.textContent = text; }, form);
        if (option.id === chosen) delivery = result;
      });
      var deliveryText = '';
      var total = subtotal;
      if (delivery === null) deliveryText = 'Choose delivery';
      else if (!delivery.ok) deliveryText = delivery.message;
      else if (delivery.quoted) deliveryText = 'Confirmed after your order';
      else { deliveryText = delivery.kobo === 0 ? 'Free' : naira(delivery.kobo); total += delivery.kobo; }
      each('[data-subtotal]', function (cell) { cell.textContent = naira(subtotal); }, root);
      each('[data-delivery-cost]', function (cell) { cell.textContent = deliveryText; }, root);
      each('[data-total]', function (cell) { cell.textContent = naira(total); }, root);
      var hasItems = list.length > 0;
      table.hidden = !hasItems;
      empty.hidden = hasItems;
      form.hidden = !hasItems;
      showCount(list);
      if (whatsapp && store.wa) {
        whatsapp.hidden = !hasItems;
        var place = [value('address'), lgaCity, state].filter(function (part) { return part.trim() !== ''; }).join(', ');
        var message = orderMessage(store.name, list.map(function (line) {
          return { name: line.name, quantity: line.qty, unitPriceKobo: line.price };
        }), [
          ['Delivery', checkedLabel('delivery', store.delivery) + (delivery && delivery.ok && !delivery.quoted ? ' (' + deliveryText + ')' : '')],
          ['Deliver to', place],
          ['Payment', checkedLabel('payment', store.payments)],
          ['Name', value('name')],
          ['Phone', value('phone')],
          ['Note', value('note')]
        ]);
        whatsapp.href = 'https://wa.me/' + store.wa + '?text=' + encodeURIComponent(message);
      }
    }
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    form.addEventListener('submit', function (event) { if (list.length === 0) event.preventDefault(); });
    render();
  }
})();
`;
