/** reports:* — end of day and the books. */
import type { ReportService } from '../services/reports/report-service';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type ReportChannel = Extract<keyof HandlerTable, `reports:${string}`>;

export function reportHandlers(deps: {
  reports: () => ReportService;
  till: () => TillSession;
}): Pick<HandlerTable, ReportChannel> {
  return {
    'reports:endOfDay': ({ day }) => deps.reports().endOfDay(day),
    'reports:closeDay': ({ day, countedCashKobo, pin }) => deps.reports().closeDay(day, countedCashKobo, pin),
    'reports:salesByPeriod': ({ from, to, groupBy }) => deps.reports().salesByPeriod(from, to, groupBy),
    'reports:byMethod': ({ from, to }) => deps.reports().byMethod(from, to),
    'reports:byCashier': ({ from, to }) => deps.reports().byCashier(from, to),
    'reports:topCustomers': ({ from, to, limit }) => deps.reports().topCustomers(from, to, limit),
    'reports:topProducts': ({ from, to, limit }) => deps.reports().topProducts(from, to, limit),
    'reports:exportSalesCsv': ({ from, to, offset, limit }) =>
      deps.reports().exportSalesCsv(from, to, offset, limit),
  };
}
