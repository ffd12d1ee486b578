/**
 * Message templates: `{{first_name}}`-style personal fields filled in for one customer. A field
 * the customer lacks becomes sensible words ("there", "0 points"), never "undefined" or an empty
 * gap; a name inside braces that is not a personal field is left as written and reported, so the
 * editor can flag a typo before anything is sent.
 */
import { formatNaira } from '../money';
import { TEMPLATE_FIELDS, type TemplateField } from '../channels/campaigns';

export interface TemplateRecipient {
  firstName: string;
  lastName: string;
  displayName: string;
  points: number | null;
  tier: string | null;
  totalSpentKobo: number | null;
  lastPurchaseAt: number | null;
  /** `MM-DD` or `YYYY-MM-DD`. */
  birthday: string | null;
  state: string | null;
}

export interface TemplateShop {
  name: string;
  phone: string;
}

export interface RenderedTemplate {
  text: string;
  fellBack: TemplateField[];
  unknownFields: string[];
  /** The personal fields in order of appearance (WhatsApp template parameters follow it). */
  parameters: string[];
}

const FIELD = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const known = new Set<string>(TEMPLATE_FIELDS);

function isField(name: string): name is TemplateField {
  return known.has(name);
}

function capitalise(word: string): string {
  return word.slice(0, 1).toUpperCase() + word.slice(1);
}

function birthdayWords(birthday: string): string | null {
  const match = /(\d{2})-(\d{2})$/.exec(birthday);
  if (match === null) return null;
  const month = MONTHS[Number(match[1]) - 1];
  return month === undefined ? null : `${Number(match[2])} ${month}`;
}

/** The value of one field for one customer, or null when the customer lacks it. */
function fieldValue(field: TemplateField, who: TemplateRecipient, shop: TemplateShop): string | null {
  const present = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());
  switch (field) {
    case 'first_name':
      return present(who.firstName) ?? present(who.displayName.split(/\s+/)[0] ?? null);
    case 'last_name':
      return present(who.lastName);
    case 'name':
      return present(who.displayName);
    case 'points':
      return who.points === null ? null : who.points.toLocaleString('en-NG');
    case 'tier':
      return who.tier === null ? null : capitalise(who.tier);
    case 'shop_name':
      return present(shop.name);
    case 'shop_phone':
      return present(shop.phone);
    case 'total_spent':
      return who.totalSpentKobo === null ? null : formatNaira(who.totalSpentKobo);
    case 'last_purchase':
      return who.lastPurchaseAt === null
        ? null
        : new Date(who.lastPurchaseAt).toLocaleDateString('en-GB', {
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            timeZone: 'Africa/Lagos',
          });
    case 'birthday':
      return who.birthday === null ? null : birthdayWords(who.birthday);
    case 'state':
      return present(who.state);
  }
}

/** Words used when a customer lacks a field: they must still read well in a sentence. */
const FALLBACK: Record<TemplateField, (shop: TemplateShop) => string> = {
  first_name: () => 'there',
  last_name: () => '',
  name: () => 'valued customer',
  points: () => '0',
  tier: () => 'Bronze',
  shop_name: () => 'our shop',
  shop_phone: () => 'our shop',
  total_spent: () => formatNaira(0),
  last_purchase: () => 'a while ago',
  birthday: () => 'your birthday',
  state: () => 'your area',
};

export function renderTemplate(body: string, who: TemplateRecipient, shop: TemplateShop): RenderedTemplate {
  const fellBack = new Set<TemplateField>();
  const unknownFields = new Set<string>();
  const parameters: string[] = [];
  const text = body.replace(FIELD, (whole, raw: string) => {
    const name = raw.toLowerCase();
    if (!isField(name)) {
      unknownFields.add(raw);
      return whole;
    }
    let value = fieldValue(name, who, shop);
    if (value === null) {
      fellBack.add(name);
      value = FALLBACK[name](shop);
    }
    parameters.push(value);
    return value;
  });
  // A fallback that is empty (no last name) must not leave a double space behind.
  return {
    text: text.replace(/[ \t]{2,}/g, ' ').replace(/ ([,.!?])/g, '$1'),
    fellBack: [...fellBack],
    unknownFields: [...unknownFields],
    parameters,
  };
}

/** Sample words for a preview when there is no customer to show yet. */
export const SAMPLE_RECIPIENT: TemplateRecipient = {
  firstName: 'Adaeze',
  lastName: 'Okafor',
  displayName: 'Adaeze Okafor',
  points: 1250,
  tier: 'silver',
  totalSpentKobo: 8_450_000,
  lastPurchaseAt: null,
  birthday: '06-14',
  state: 'Lagos',
};
