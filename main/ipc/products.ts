/** products:* — the catalogue and its stock ledger. */
import type { ProductService } from '../services/products/product-service';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type ProductChannel = Extract<keyof HandlerTable, `products:${string}`>;

export function productHandlers(deps: {
  products: () => ProductService;
  till: () => TillSession;
}): Pick<HandlerTable, ProductChannel> {
  const staffId = () => deps.till().current()?.id ?? null;
  return {
    'products:search': ({ query, limit }) => deps.products().search(query, limit),
    'products:list': (input) => deps.products().list(input),
    'products:get': ({ id }) => deps.products().get(id),
    'products:create': (input) => deps.products().create(input, staffId()),
    'products:update': (input) => deps.products().update(input, staffId()),
    'products:archive': ({ id, archived }) => deps.products().archive(id, archived, staffId()),
    'products:adjustStock': (input) => deps.products().adjustStock(input, staffId()),
    'products:stockMoves': ({ productId, offset, limit }) =>
      deps.products().stockMoves(productId, offset, limit),
  };
}
