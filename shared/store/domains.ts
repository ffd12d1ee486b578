/**
 * Custom domains for a store: suggestions from the business name under the endings Nigerian
 * shoppers trust (.com.ng, .ng, .com), a hostname check, and the DNS record the owner sets at
 * their registrar so the sync server answers for the domain.
 */

export const DOMAIN_ENDINGS = ['com.ng', 'ng', 'com'] as const;

/** Registrable suffixes under .ng that hold names of their own (NiRA's second-level zones). */
const NG_SECOND_LEVEL = [
  'com.ng',
  'org.ng',
  'net.ng',
  'gov.ng',
  'edu.ng',
  'name.ng',
  'sch.ng',
  'mil.ng',
  'mobi.ng',
  'i.ng',
];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A hostname a shopper can type: two or more labels of letters, digits and inner dashes. */
export function isValidHostname(text: string): boolean {
  const host = text.trim().toLowerCase().replace(/\.$/, '');
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => LABEL.test(label))) return false;
  // A top-level domain is never all digits, so "192.168.0.1" is not a name.
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const FILLER = ['and', 'the', 'ltd', 'limited', 'co', 'nig', 'nigeria', 'enterprises', 'ventures'];

/**
 * Up to `limit` hostnames to look up at a registrar, best first: "Mama Put's Kitchen & Co." →
 * mamaputskitchen.com.ng, .ng, .com, then mama-puts-kitchen under each, mamaputskitchenng.com,
 * shopmamaputskitchen.com.ng …
 */
export function domainSuggestions(businessName: string, limit = 8): string[] {
  const words = nameWords(businessName);
  if (words.length === 0) return [];
  const kept = words.filter((word) => !FILLER.includes(word));
  const core = (kept.length > 0 ? kept : words).join('');
  const hyphened = (kept.length > 0 ? kept : words).join('-');
  const candidates = [
    ...DOMAIN_ENDINGS.map((ending) => `${core}.${ending}`),
    ...DOMAIN_ENDINGS.map((ending) => `${hyphened}.${ending}`),
    `${core}ng.com`,
    `shop${core}.com.ng`,
    `shop${core}.ng`,
    `${words.join('')}.com.ng`,
  ];
  const suggestions: string[] = [];
  for (const host of candidates) {
    if (isValidHostname(host) && !suggestions.includes(host)) suggestions.push(host);
  }
  return suggestions.slice(0, limit);
}

/** Whether the hostname is the registered name itself (no `www.` or `shop.` in front). */
export function isApexDomain(host: string): boolean {
  const labels = host.toLowerCase().split('.');
  const lastTwo = labels.slice(-2).join('.');
  const registrable = NG_SECOND_LEVEL.includes(lastTwo) ? 3 : 2;
  return labels.length <= registrable;
}

export interface DnsRecord {
  type: 'A' | 'AAAA' | 'CNAME';
  /** As registrars ask for it: "@" for the domain itself, else the part in front. */
  name: string;
  value: string;
}

/**
 * The record that sends the domain to the sync server at `serverHost`: a CNAME for a
 * subdomain, an A (or AAAA) record for the domain itself or when the server is an address,
 * since a CNAME cannot sit at a domain's apex.
 */
export function dnsRecordFor(domain: string, serverHost: string, serverAddress?: string): DnsRecord {
  const host = domain.trim().toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  const apex = isApexDomain(host);
  const lastTwo = labels.slice(-2).join('.');
  const registrable = NG_SECOND_LEVEL.includes(lastTwo) ? 3 : 2;
  const name = apex ? '@' : labels.slice(0, labels.length - registrable).join('.');
  const isIPv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(serverHost);
  const isIPv6 = serverHost.includes(':');
  if (isIPv4 || isIPv6) return { type: isIPv6 ? 'AAAA' : 'A', name, value: serverHost };
  if (apex) return { type: 'A', name, value: serverAddress ?? `the address of ${serverHost}` };
  return { type: 'CNAME', name, value: `${serverHost}.` };
}
