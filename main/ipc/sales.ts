/** till:*, sales:*, loyalty:*, risk:* and printing:* — the till and its books. */
import { KasuwaError } from '../../shared/errors';
import type { LoyaltyService } from '../services/loyalty/loyalty-service';
import type { RiskService } from '../services/risk/risk-service';
import type { SaleService } from '../services/sales/sale-service';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type SaleChannel = Extract<
  keyof HandlerTable,
  `${'till' | 'sales' | 'loyalty' | 'risk' | 'printing'}:${string}`
>;

/** Printing lives in the platform: Electron prints the window, the browser host cannot. */
export type PrintReceipt = (paper: '80mm' | 'a4') => Promise<void>;

export const printInBrowser: PrintReceipt = () =>
  Promise.reject(
    new KasuwaError(
      'unavailable',
      'Printing from Kasuwa itself needs the desktop app; use the browser print.',
    ),
  );

export function saleHandlers(deps: {
  sales: () => SaleService;
  till: () => TillSession;
  loyalty: () => LoyaltyService;
  risk: () => RiskService;
  print: PrintReceipt;
}): Pick<HandlerTable, SaleChannel> {
  return {
    'till:signIn': ({ pin }) => deps.till().signIn(pin),
    'till:signOut': () => {
      deps.till().signOut();
      return null;
    },
    'till:current': () => deps.till().current(),
    'sales:record': (input) => deps.sales().record(input, deps.till().require()),
    'sales:get': ({ id }) => deps.sales().get(id),
    'sales:list': (input) => deps.sales().list(input),
    'sales:receiptText': ({ id }) => deps.sales().receiptText(id),
    'sales:refund': (input) => deps.sales().refund(input, deps.till().require()),
    'loyalty:rules': () => deps.loyalty().rules(),
    'loyalty:updateRules': (rules) => deps.loyalty().updateRules(rules, deps.till().require().id),
    'risk:queue': ({ status, offset, limit }) => deps.risk().queue(status, offset, limit),
    'risk:review': (input) => deps.risk().review(input),
    'printing:print': async ({ paper }) => {
      await deps.print(paper);
      return null;
    },
  };
}
