/** Channels of the catalogue and its stock ledger. */
import { z } from 'zod';
import { channel, idInput, kobo, pageInput, type Page } from '../channel';

export const productInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter the product name').max(120),
  sku: z.string().trim().max(40).default(''),
  barcode: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9A-Za-z-]*$/, 'A barcode has only letters, digits and dashes')
    .default(''),
  priceKobo: kobo,
  costKobo: kobo.default(0),
  category: z.string().trim().max(60).default(''),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).default(0),
  /** A data URL of a small image (the renderer resizes it first). */
  image: z
    .string()
    .max(400_000, 'The picture is too large')
    .regex(/^data:image\/(png|jpeg|webp);base64,/, 'Use a PNG, JPEG or WebP picture')
    .nullable()
    .default(null),
  /** Stock on hand when the product is created (a "receive" move). */
  openingStock: z.number().int().min(0).max(1_000_000).default(0),
});

export type StockMoveKind = 'sale' | 'refund' | 'void' | 'adjustment' | 'receive';

export interface Product {
  id: string;
  name: string;
  sku: string;
  barcode: string;
  priceKobo: number;
  costKobo: number;
  category: string;
  lowStockThreshold: number;
  image: string | null;
  stock: number;
  /** Of the stock, units pending online orders hold back until they are fulfilled or cancelled. */
  reserved: number;
  lowStock: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface StockMove {
  id: string;
  kind: StockMoveKind;
  quantity: number;
  note: string;
  saleId: string | null;
  staffId: string | null;
  createdAt: number;
}

export const productChannels = {
  /** Barcode or SKU exactly, else name fragments; the till's search as you type. */
  'products:search': channel<Product[]>()(
    z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(20) }),
  ),
  'products:list': channel<Page<Product>>()(
    z.object({
      category: z.string().max(60).optional(),
      lowStockOnly: z.boolean().default(false),
      includeArchived: z.boolean().default(false),
      ...pageInput,
    }),
  ),
  'products:get': channel<Product>()(idInput),
  'products:create': channel<Product>()(productInputSchema),
  'products:update': channel<Product>()(
    productInputSchema.omit({ openingStock: true }).extend({ id: z.uuid() }),
  ),
  'products:archive': channel<Product>()(z.object({ id: z.uuid(), archived: z.boolean() })),
  'products:adjustStock': channel<Product>()(
    z.object({
      productId: z.uuid(),
      kind: z.enum(['adjustment', 'receive']),
      /** Signed for an adjustment (a count found 3 short is -3); positive for goods received. */
      quantity: z
        .number()
        .int()
        .min(-1_000_000)
        .max(1_000_000)
        .refine((q) => q !== 0, 'Enter a quantity'),
      note: z.string().trim().max(200).default(''),
    }),
  ),
  'products:stockMoves': channel<Page<StockMove>>()(z.object({ productId: z.uuid(), ...pageInput })),
} as const;
