// The catalogue: products, their variants and regional prices, and how popular each is.
import type { Currency } from "./places";

export type Category = "apparel" | "shoes" | "accessories" | "home" | "beauty" | "electronics" | "gift-cards";

type ProductSpec = {
  code: string;
  name: string;
  category: Category;
  variants: readonly string[];
  /** Catalogue price in EUR cents; gift cards instead take their face value in the order's currency. */
  priceEur?: number;
  faceValues?: readonly number[];
  finalSale?: boolean;
  hygiene?: boolean;
};

const PRODUCTS: readonly ProductSpec[] = [
  { code: "TEE", name: "Everyday Organic Tee", category: "apparel", priceEur: 2500, variants: ["S / White", "M / White", "L / Black", "XL / Black"] },
  { code: "BRETON", name: "Breton Stripe Top", category: "apparel", priceEur: 3900, variants: ["XS / Navy", "S / Navy", "M / Navy"] },
  { code: "LINEN-SHIRT", name: "Relaxed Linen Shirt", category: "apparel", priceEur: 6900, variants: ["S / Sand", "M / Sand", "L / Sky"] },
  { code: "HOODIE", name: "Loopback Cotton Hoodie", category: "apparel", priceEur: 7900, variants: ["S / Heather Grey", "M / Heather Grey", "L / Forest"] },
  { code: "SWEATER", name: "Merino Crew Sweater", category: "apparel", priceEur: 9900, variants: ["S / Charcoal", "M / Charcoal", "L / Camel", "XL / Camel"] },
  { code: "CHINOS", name: "Slim Stretch Chinos", category: "apparel", priceEur: 6900, variants: ["30/32 / Stone", "32/32 / Stone", "34/32 / Navy"] },
  { code: "JOGGERS", name: "Lounge Joggers", category: "apparel", priceEur: 5500, variants: ["M / Black", "L / Black"] },
  { code: "RAIN-SHELL", name: "Packable Rain Shell", category: "apparel", priceEur: 11900, variants: ["S / Olive", "M / Olive", "L / Yellow"] },
  { code: "DENIM-JACKET", name: "Classic Denim Jacket", category: "apparel", priceEur: 8900, variants: ["M / Mid Wash", "L / Mid Wash"] },
  { code: "OVERCOAT", name: "Wool Blend Overcoat", category: "apparel", priceEur: 22900, variants: ["M / Camel", "L / Charcoal"] },
  { code: "SNEAKER", name: "Canvas Low Sneaker", category: "shoes", priceEur: 6500, variants: ["EU 38", "EU 40", "EU 42", "EU 44"] },
  { code: "CHELSEA", name: "Leather Chelsea Boot", category: "shoes", priceEur: 17900, variants: ["EU 39", "EU 41", "EU 43"] },
  { code: "TRAIL-SHOE", name: "Trail Running Shoe", category: "shoes", priceEur: 12900, variants: ["EU 40", "EU 42", "EU 44"] },
  { code: "LOAFER", name: "Suede Penny Loafer", category: "shoes", priceEur: 13900, variants: ["EU 41", "EU 43"] },
  { code: "SLIPPER", name: "Felted Wool Slipper", category: "shoes", priceEur: 4500, variants: ["S", "M", "L"] },
  { code: "SANDAL", name: "Cork Footbed Sandal", category: "shoes", priceEur: 5900, variants: ["EU 38", "EU 42"] },
  { code: "WALLET", name: "Leather Card Wallet", category: "accessories", priceEur: 3900, variants: ["Tan", "Black"] },
  { code: "TOTE", name: "Heavy Canvas Tote", category: "accessories", priceEur: 2900, variants: ["Natural", "Black"] },
  { code: "BEANIE", name: "Ribbed Merino Beanie", category: "accessories", priceEur: 2900, variants: ["Oat", "Charcoal", "Rust"] },
  { code: "SCARF", name: "Lambswool Scarf", category: "accessories", priceEur: 4900, variants: ["Grey Check", "Navy"] },
  { code: "SUNGLASSES", name: "Classic Acetate Sunglasses", category: "accessories", priceEur: 8900, variants: ["Tortoise", "Black"] },
  { code: "BELT", name: "Leather Belt", category: "accessories", priceEur: 4900, variants: ["85 cm", "95 cm", "105 cm"] },
  { code: "MUG-SET", name: "Stoneware Mug Set of 4", category: "home", priceEur: 3900, variants: ["Speckled White", "Sage"] },
  { code: "DUVET", name: "Washed Linen Duvet Cover", category: "home", priceEur: 14900, variants: ["Single / Natural", "Double / Natural", "King / Clay"] },
  { code: "TOWEL", name: "Waffle Bath Towel", category: "home", priceEur: 2900, variants: ["White", "Sand", "Slate"] },
  { code: "CANDLE", name: "Soy Wax Candle", category: "home", priceEur: 2400, variants: ["Fig & Cedar", "Sea Salt"] },
  { code: "THROW", name: "Cotton Throw Blanket", category: "home", priceEur: 6900, variants: ["Ochre", "Grey"] },
  { code: "VASE", name: "Ceramic Bud Vase", category: "home", priceEur: 3400, variants: ["Matte White"] },
  { code: "FACE-CREAM", name: "Daily Hydrating Face Cream", category: "beauty", priceEur: 3200, variants: ["50 ml"], hygiene: true },
  { code: "LIP-BALM", name: "Lip Balm Trio", category: "beauty", priceEur: 1400, variants: ["Trio"], hygiene: true },
  { code: "TOOTHBRUSH", name: "Bamboo Toothbrush 4-Pack", category: "beauty", priceEur: 1200, variants: ["Soft", "Medium"], hygiene: true },
  { code: "PERFUME", name: "Eau de Parfum", category: "beauty", priceEur: 7500, variants: ["Cedar & Iris 50 ml", "Neroli 50 ml"], hygiene: true },
  { code: "WASH-BAG", name: "Waxed Canvas Wash Bag", category: "beauty", priceEur: 3900, variants: ["Olive", "Black"] },
  { code: "EARBUDS", name: "Wireless Earbuds", category: "electronics", priceEur: 9900, variants: ["Black", "White"] },
  { code: "POWER-BANK", name: "Power Bank 10,000 mAh", category: "electronics", priceEur: 3900, variants: ["Graphite"] },
  { code: "SPEAKER", name: "Portable Bluetooth Speaker", category: "electronics", priceEur: 7900, variants: ["Black", "Teal"] },
  { code: "CABLE", name: "Braided USB-C Cable 2 m", category: "electronics", priceEur: 1900, variants: ["Black", "White"] },
  { code: "DESK-LAMP", name: "Dimmable LED Desk Lamp", category: "electronics", priceEur: 8900, variants: ["Black", "White"] },
  { code: "GIFT-CARD", name: "Waymark Gift Card", category: "gift-cards", faceValues: [25, 50, 100], variants: ["Value 25", "Value 50", "Value 100"], finalSale: true },
  { code: "GIFT-BOX", name: "Gift Card in a Keepsake Box", category: "gift-cards", faceValues: [75, 150], variants: ["Value 75", "Value 150"], finalSale: true },
];

// Share of order lines per category; gift cards are a rare add-on.
const CATEGORY_SHARE: Record<Category, number> = {
  apparel: 30,
  shoes: 14,
  accessories: 16,
  home: 16,
  beauty: 12,
  electronics: 9,
  "gift-cards": 3,
};

export type CatalogueVariant = {
  id: string;
  sku: string;
  label: string;
  product: CatalogueProduct;
  prices: Record<Currency, number>;
};

type CatalogueProduct = ProductSpec & { id: string };

export type Catalogue = {
  products: CatalogueProduct[];
  variants: CatalogueVariant[];
  byCode(code: string, variantIndex: number): CatalogueVariant;
  popularity: (readonly [CatalogueVariant, number])[];
};

/** Regional price lists: whole units, roughly at exchange rate, the way shops actually price. */
function regionalPrices(product: ProductSpec, variantIndex: number): Record<Currency, number> {
  if (product.faceValues) {
    const face = product.faceValues[variantIndex] * 100;
    return { EUR: face, USD: face, GBP: face };
  }
  const eur = product.priceEur ?? 0;
  return { EUR: eur, USD: Math.round((eur * 1.1) / 100) * 100, GBP: Math.round((eur * 0.86) / 100) * 100 };
}

export function buildCatalogue(): Catalogue {
  const products: CatalogueProduct[] = [];
  const variants: CatalogueVariant[] = [];
  const productsPerCategory = new Map<Category, number>();
  for (const spec of PRODUCTS) productsPerCategory.set(spec.category, (productsPerCategory.get(spec.category) ?? 0) + 1);
  const popularity: (readonly [CatalogueVariant, number])[] = [];
  for (const spec of PRODUCTS) {
    const slug = spec.code.toLowerCase().replaceAll("-", "_");
    const product = { ...spec, id: `seed_prd_${slug}` };
    products.push(product);
    spec.variants.forEach((label, index) => {
      const number = String(index + 1).padStart(2, "0");
      const variant = { id: `seed_var_${slug}_${number}`, sku: `WM-${spec.code}-${number}`, label, product, prices: regionalPrices(spec, index) };
      variants.push(variant);
      popularity.push([variant, CATEGORY_SHARE[spec.category] / productsPerCategory.get(spec.category)! / spec.variants.length]);
    });
  }
  const bySku = new Map(variants.map((v) => [v.sku, v]));
  return {
    products,
    variants,
    popularity,
    byCode(code, variantIndex) {
      const variant = bySku.get(`WM-${code}-${String(variantIndex + 1).padStart(2, "0")}`);
      if (!variant) throw new Error(`demo catalogue has no ${code} variant ${variantIndex}`);
      return variant;
    },
  };
}
