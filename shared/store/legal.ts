/**
 * Starting text for the store's legal pages: terms of sale, a privacy notice written to the
 * Nigeria Data Protection Act 2023, and a refund policy. The owner edits them in the wizard; they
 * are plain text with `# ` headings, `- ` list lines and blank-line paragraphs, which the
 * storefront turns into HTML. Empty business fields leave their sentence out rather than print
 * a gap or "undefined".
 */

export interface LegalBusiness {
  name: string;
  address: string;
  state: string | null;
  phone: string;
  email: string;
}

export interface LegalTemplates {
  terms: string;
  privacy: string;
  refunds: string;
}

/** How many days after delivery a shopper may ask to return an item, in the refund template. */
export const DEFAULT_RETURN_DAYS = 7;

function clean(value: string | null | undefined): string {
  return (value ?? '').trim();
}

/** "12 Allen Avenue, Ikeja, Lagos": the address with the state, unless the address already names it. */
function fullAddress(business: LegalBusiness): string {
  const address = clean(business.address);
  const state = clean(business.state);
  if (state === '' || address.toLowerCase().includes(state.toLowerCase())) return address;
  return address === '' ? '' : `${address}, ${state}`;
}

/** " We are based at …." from the address, or the state alone; '' when neither is known. */
function basedAt(business: LegalBusiness): string {
  const address = fullAddress(business);
  if (address !== '') return ` We are based at ${address}.`;
  const state = clean(business.state);
  if (state === '') return '';
  return ` We are based in ${state === 'FCT' ? 'the FCT (Abuja)' : `${state} State`}.`;
}

/** The ways to reach the shop, as list lines; empty when the owner has filled in none. */
function contactLines(business: LegalBusiness): string[] {
  const lines: string[] = [];
  const phone = clean(business.phone);
  const email = clean(business.email);
  const address = fullAddress(business);
  if (phone !== '') lines.push(`- Phone or WhatsApp: ${phone}`);
  if (email !== '') lines.push(`- Email: ${email}`);
  if (address !== '') lines.push(`- Address: ${address}`);
  return lines;
}

function contactBlock(business: LegalBusiness, lead: string): string {
  const lines = contactLines(business);
  if (lines.length === 0) return `${lead} through the contact details shown on this website.`;
  return `${lead}:\n\n${lines.join('\n')}`;
}

function page(sections: string[]): string {
  return `${sections.filter((section) => section.trim() !== '').join('\n\n')}\n`;
}

export function legalTemplates(business: LegalBusiness): LegalTemplates {
  const name = clean(business.name);
  const shop = name === '' ? 'this shop' : name;
  const Shop = name === '' ? 'This shop' : name;
  const where = basedAt(business);

  const terms = page([
    '# Terms of sale',
    `These terms apply to every order placed with ${shop} through this online store.${where} By placing an order you agree to them.`,
    '# Orders',
    'An order is an offer to buy the items in your cart. We confirm it by phone, WhatsApp, SMS or email. We may decline or cancel an order, for example when an item has sold out or a price was shown in error; if you have already paid, we refund you in full.',
    'Check your name, phone number and delivery address before you order: we deliver to the address you give us.',
    '# Prices',
    'All prices are in Nigerian naira (₦) and include any tax we charge. The delivery price is shown at checkout for your state and area before you order, except for a courier whose price we confirm with you after the order; in that case we do not dispatch your order until you agree the price.',
    'We may change prices on the store at any time, but the price you ordered at is the price you pay.',
    '# Payment',
    'You can pay with the methods shown at checkout. Card, bank and USSD payments are handled by our payment provider; we never see or keep your card details. For a bank transfer, send the exact amount to the account shown after your order and use your order number as the reference: we dispatch once the money reaches us. For pay on delivery, pay the rider or at pickup when you receive your order.',
    '# Delivery and pickup',
    'Delivery times are estimates in working days from when we confirm your order (and, for a bank transfer, from when your payment reaches us). Delays caused by couriers, weather, public holidays or events outside our control can happen; we will keep you informed.',
    'If you choose pickup, we will tell you when your order is ready. Bring your order number. We keep an order for pickup for 7 days unless we agree otherwise.',
    'Please check your items when they arrive and tell us within 48 hours if anything is missing or damaged.',
    '# Returns and refunds',
    'Our refund policy, on its own page, explains how to return an item and how refunds are paid. It does not take away your rights under the Federal Competition and Consumer Protection Act 2018.',
    '# Your information',
    'Our privacy notice explains what personal information we collect when you order and how we use it.',
    '# Contact',
    contactBlock(business, `Questions about an order? Contact ${shop}`),
  ]);

  const privacy = page([
    '# Privacy notice',
    `${Shop} ("we") is the data controller for the personal information you give us through this online store.${where} We handle your personal information in line with the Nigeria Data Protection Act 2023 (NDPA).`,
    '# What we collect',
    '- Your name, phone number and (if you give it) email address',
    '- Your delivery address, state and LGA or city',
    '- What you order, how you choose to pay and your order notes',
    '- Whether a payment succeeded, as our payment provider tells us (never your full card details)',
    '- Messages you send us, for example on WhatsApp',
    'This website keeps your cart in your own browser; it does not use advertising or tracking cookies.',
    '# Why we use it, and our lawful basis',
    '- To take, deliver and support your order, and to contact you about it: this is necessary to perform our contract with you.',
    '- To keep sales and tax records: this is required by law.',
    '- To prevent fraud and keep our store secure: our legitimate interest in running a safe business.',
    '- To send you offers or news by SMS, WhatsApp or email: only with your consent, which you can withdraw at any time (reply STOP or contact us).',
    '# Who we share it with',
    'We share your information only with those who help us fulfil your order: our delivery partners and couriers, our payment providers, and the companies that host our systems and send our messages. They may use it only for that purpose. We do not sell your personal information. If any of them process it outside Nigeria, we make sure the transfer is allowed under the NDPA and that your information stays protected.',
    '# How long we keep it',
    'We keep order records for as long as the law requires for accounting and tax (usually six years), and other information only as long as we need it for the purposes above. Marketing consent is kept until you withdraw it. Then we delete or anonymise your information.',
    '# How we protect it',
    'We use appropriate technical and organisational measures to protect your information, including encrypted storage and connections, and access only for staff who need it. If a breach is likely to put your rights at risk, we will tell the Nigeria Data Protection Commission and, where required, you.',
    '# Your rights',
    'Under the NDPA you have the right to:',
    '- be told how your information is used (this notice)',
    '- access the personal information we hold about you and get a copy',
    '- have inaccurate or incomplete information corrected (rectification)',
    '- have your information erased when we no longer have a reason to keep it',
    '- restrict or object to how we use it, including objecting to direct marketing at any time',
    '- receive your information in a common, machine-readable format and have it sent to another organisation (portability)',
    '- withdraw your consent at any time, without affecting what we did before you withdrew it',
    'To use any of these rights, contact us as shown below. We will reply within 30 days and may need to confirm who you are first.',
    '# Complaints',
    'If you are unhappy with how we handle your information, please contact us first so we can put it right. You also have the right to complain to the Nigeria Data Protection Commission (NDPC), https://ndpc.gov.ng.',
    '# Contact',
    contactBlock(business, `For privacy questions or requests, contact ${shop}`),
  ]);

  const refunds = page([
    '# Refund policy',
    `We want you to be happy with what you buy from ${shop}. This policy explains how returns and refunds work.`,
    '# Returns',
    `You can ask to return an item within ${DEFAULT_RETURN_DAYS} days of receiving it. Contact us first with your order number and the reason, and we will tell you where to bring or send it.`,
    '# Condition',
    'Items must be unused, in their original packaging, with any tags and the receipt or order number. For reasons of hygiene and safety we cannot take back opened food, cosmetics, underwear or items made or altered to your order, unless they are faulty.',
    '# Faulty, damaged or wrong items',
    'If an item arrives faulty, damaged or different from what you ordered, tell us within 48 hours of delivery, with a photo if you can. We will replace it or refund you in full, including the delivery charge, and we arrange the return at our cost.',
    '# How refunds are paid',
    '- We refund the price of the item once we have received and checked it, usually within 7 working days.',
    '- Card, bank or USSD payments are refunded to the same card or account through our payment provider; your bank may take a few more days to show it.',
    '- Bank transfers and pay on delivery are refunded by bank transfer to an account in your name.',
    '- Delivery charges are refunded only when the item was faulty, damaged or wrong, or we cancelled the order.',
    '- If you return an item because you changed your mind, you pay the cost of sending it back.',
    '# Cancelling an order',
    'You can cancel an order at no cost until it has been dispatched or collected. If you have paid, we refund you in full.',
    '# Contact',
    contactBlock(business, `To ask for a return or refund, contact ${shop}`),
  ]);

  return { terms, privacy, refunds };
}
