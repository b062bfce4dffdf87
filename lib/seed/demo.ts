// Deterministic demo data: what product teams see on first start. The same seed gives the same
// people, catalogue and order histories; only `now` moves, and every date is relative to it.
// Rows are built in memory first (ids are ours, so children reference parents without round
// trips), then inserted with createMany in one transaction, so a failed seed leaves nothing behind.
import { hashPassword } from "@/lib/auth/password";
import type {
  OrderStatus,
  PaymentStatus,
  Prisma,
  PrismaClient,
  ReturnMethod,
  ReturnResolution,
  ReturnStatus,
  Role,
  ShipmentStatus,
} from "@/lib/generated/prisma/client";
import { refreshInsights } from "@/lib/insights/refresh";
import { createRandom, deriveSeed, type Random } from "./random";
import { seedTrailHistory, trailCustomers } from "./trail";

export const DEMO_PASSWORD = "waymark-demo";

type DemoAccount = { email: string; name: string; role: Role };
const ADA = { email: "ada@example.com", name: "Ada Lovelace", role: "CUSTOMER" } as const satisfies DemoAccount;
const GRACE = { email: "grace@example.com", name: "Grace Hopper", role: "CUSTOMER" } as const satisfies DemoAccount;
const AGENT = { email: "agent@waymark.test", name: "Alex Agent", role: "AGENT" } as const satisfies DemoAccount;
const ANALYST = { email: "analyst@waymark.test", name: "Ana Analyst", role: "ANALYST" } as const satisfies DemoAccount;

/** The fixed sign-ins; all seeded accounts (random customers too) use DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [ADA, GRACE, AGENT, ANALYST];

const AGENT_USER_ID = "seed_usr_agent";
const AGENT_ACTOR = `agent:${AGENT_USER_ID}`;

export type SeedOptions = { seed?: number; customers?: number; now?: Date };
export type SeedResult = { customers: number; orders: number; durationMs: number };

export async function isSeeded(db: PrismaClient): Promise<boolean> {
  return (await db.user.findFirst({ select: { id: true } })) !== null;
}

export async function seedDemoData(db: PrismaClient, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  // argon2 is deliberately slow (~60 ms), so every seeded account shares one hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seed = opts.seed ?? 42;
  const now = opts.now ?? new Date();
  const rows = buildDemoRows({
    seed,
    customerCount: opts.customers ?? 300,
    now,
    passwordHash,
  });
  await db.$transaction(
    async (tx) => {
      // Parents before children: foreign keys are checked per statement.
      await insertInBatches(rows.users, (data) => tx.user.createMany({ data }));
      await insertInBatches(rows.addresses, (data) => tx.address.createMany({ data }));
      await insertInBatches(rows.products, (data) => tx.product.createMany({ data }));
      await insertInBatches(rows.variants, (data) => tx.variant.createMany({ data }));
      await insertInBatches(rows.orders, (data) => tx.order.createMany({ data }));
      await insertInBatches(rows.orderLines, (data) => tx.orderLine.createMany({ data }));
      await insertInBatches(rows.orderStatusChanges, (data) => tx.orderStatusChange.createMany({ data }));
      await insertInBatches(rows.shipments, (data) => tx.shipment.createMany({ data }));
      await insertInBatches(rows.shipmentEvents, (data) => tx.shipmentEvent.createMany({ data }));
      await insertInBatches(rows.payments, (data) => tx.payment.createMany({ data }));
      await insertInBatches(rows.returns, (data) => tx.return.createMany({ data }));
      await insertInBatches(rows.returnLines, (data) => tx.returnLine.createMany({ data }));
      await insertInBatches(rows.returnStatusChanges, (data) => tx.returnStatusChange.createMany({ data }));
      await insertInBatches(rows.refunds, (data) => tx.refund.createMany({ data }));
      await insertInBatches(rows.storeCredit, (data) => tx.storeCreditEntry.createMany({ data }));
      // Months of digital trail behind the analyst pages (lib/seed/trail.ts).
      await seedTrailHistory(tx, { seed, now, customers: trailCustomers(rows.users), agentId: AGENT_USER_ID });
    },
    { maxWait: 30_000, timeout: 10 * 60_000 },
  );
  // The analyst pages read rollups of that trail: count it now, not in the first minutes after start.
  await refreshInsights(db);
  return {
    customers: rows.users.filter((u) => u.role === "CUSTOMER").length,
    orders: rows.orders.length,
    durationMs: Math.round(performance.now() - started),
  };
}

// Keeps each INSERT well under PostgreSQL's 65,535 bind parameters (the widest table has ~20 columns).
const BATCH_ROWS = 1000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) await insert(rows.slice(i, i + BATCH_ROWS));
}

// ---------------------------------------------------------------- time

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const shift = (date: Date, ms: number) => new Date(date.getTime() + Math.round(ms / SECOND) * SECOND);
const earliest = (a: Date, b: Date) => (a <= b ? a : b);
const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

// ---------------------------------------------------------------- money and places

type Currency = "USD" | "GBP" | "EUR";
type CountryCode = "US" | "GB" | "DE" | "FR" | "NL";

const STANDARD_SHIPPING_MINOR: Record<Currency, number> = { USD: 695, GBP: 395, EUR: 495 };
const FREE_SHIPPING_FROM_MINOR: Record<Currency, number> = { USD: 7500, GBP: 6000, EUR: 7000 };
const RETURN_LABEL_FEE_MINOR: Record<Currency, number> = { USD: 595, GBP: 295, EUR: 395 };
// Returns worth more than this wait for an agent before they are approved.
const RETURN_REVIEW_FROM_MINOR = 20_000;
const RETURN_WINDOW_DAYS = 30;
const CUSTOMER_CHOICE_REASONS = new Set(["wrong_size", "changed_mind"]);

type City = { city: string; region?: string; postcodes: readonly string[]; taxRate?: number };

type CountryProfile = {
  currency: Currency;
  share: number;
  taxRate: number;
  firstNames: readonly string[];
  lastNames: readonly string[];
  streets: readonly string[];
  cities: readonly City[];
  line1(rng: Random, street: string): string;
  line2(rng: Random): string | null;
  /** Completes a postcode prefix from `cities` (GB inward codes, NL letter pairs). */
  postcode(rng: Random, prefix: string): string;
  /** Only numbers from ranges reserved for fiction, or none. */
  phone(rng: Random): string | null;
  warehouse: string;
  hubs: readonly string[];
};

const twoDigits = (rng: Random) => String(rng.int(0, 99)).padStart(2, "0");

const COUNTRIES: Record<CountryCode, CountryProfile> = {
  US: {
    currency: "USD",
    share: 38,
    taxRate: 0,
    firstNames: ["James", "Mary", "Michael", "Jennifer", "David", "Emily", "Daniel", "Sarah", "Chris", "Jessica", "Marcus", "Olivia", "Tyler", "Maria", "Andre", "Hannah"],
    lastNames: ["Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Anderson", "Taylor", "Nguyen", "Moore", "Jackson", "Lee", "Walker"],
    streets: ["Maple Street", "Oak Avenue", "Cedar Lane", "Washington Street", "Park Avenue", "Elm Street", "Lincoln Avenue", "Pine Street", "Lake Drive", "Hillcrest Road"],
    cities: [
      { city: "Portland", region: "OR", postcodes: ["97201", "97205", "97209", "97212", "97214"], taxRate: 0 },
      { city: "Austin", region: "TX", postcodes: ["78701", "78702", "78704", "78745"], taxRate: 0.0825 },
      { city: "Columbus", region: "OH", postcodes: ["43201", "43206", "43215"], taxRate: 0.075 },
      { city: "Denver", region: "CO", postcodes: ["80202", "80205", "80218"], taxRate: 0.0881 },
      { city: "Raleigh", region: "NC", postcodes: ["27601", "27603", "27609"], taxRate: 0.0725 },
      { city: "Madison", region: "WI", postcodes: ["53703", "53704", "53711"], taxRate: 0.055 },
      { city: "Sacramento", region: "CA", postcodes: ["95814", "95816", "95819"], taxRate: 0.0875 },
      { city: "Boston", region: "MA", postcodes: ["02108", "02116", "02130"], taxRate: 0.0625 },
      { city: "Seattle", region: "WA", postcodes: ["98101", "98103", "98122"], taxRate: 0.1035 },
    ],
    line1: (rng, street) => `${rng.int(12, 4980)} ${street}`,
    line2: (rng) => (rng.chance(0.3) ? rng.pick([`Apt ${rng.int(1, 30)}${rng.pick(["A", "B", "C"])}`, `Unit ${rng.int(101, 920)}`]) : null),
    postcode: (_rng, prefix) => prefix,
    phone: (rng) => `+1 ${rng.pick(["206", "303", "512", "617", "919"])} 555 01${twoDigits(rng)}`,
    warehouse: "Reno, NV, US",
    hubs: ["Memphis, TN, US", "Louisville, KY, US", "Indianapolis, IN, US"],
  },
  GB: {
    currency: "GBP",
    share: 24,
    taxRate: 0.2,
    firstNames: ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Noah", "Sophie", "Charlie", "Priya", "Thomas", "Poppy", "William", "Freya"],
    lastNames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "Khan", "Hughes"],
    streets: ["High Street", "Church Road", "Station Road", "Victoria Road", "Park Lane", "Queen's Road", "Mill Lane", "Albert Street", "Grove Road", "Kingsway"],
    cities: [
      { city: "London", postcodes: ["N1", "E8", "SE15", "SW9", "NW5", "W12"] },
      { city: "Manchester", postcodes: ["M4", "M14", "M20"] },
      { city: "Bristol", postcodes: ["BS3", "BS6", "BS7"] },
      { city: "Leeds", postcodes: ["LS6", "LS7", "LS8"] },
      { city: "Edinburgh", postcodes: ["EH6", "EH7", "EH9"] },
      { city: "Brighton", postcodes: ["BN1", "BN2"] },
      { city: "Glasgow", postcodes: ["G12", "G41"] },
    ],
    line1: (rng, street) => `${rng.int(1, 180)} ${street}`,
    line2: (rng) => (rng.chance(0.2) ? `Flat ${rng.int(1, 12)}` : null),
    postcode: (rng, outward) => `${outward} ${rng.int(1, 9)}${rng.pick([..."ABDEFGHJLNPQRSTUWXYZ"])}${rng.pick([..."ABDEFGHJLNPQRSTUWXYZ"])}`,
    // Ofcom reserves 07700 900000–900999 for drama.
    phone: (rng) => `+44 7700 900${String(rng.int(0, 999)).padStart(3, "0")}`,
    warehouse: "Northampton, GB",
    hubs: ["Birmingham, GB", "Coventry, GB", "Warrington, GB"],
  },
  DE: {
    currency: "EUR",
    share: 16,
    taxRate: 0.19,
    firstNames: ["Lukas", "Anna", "Leon", "Mia", "Jonas", "Lea", "Felix", "Hannah", "Paul", "Sophie", "Maximilian", "Laura", "Jan", "Lena"],
    lastNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Neumann"],
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Goethestraße", "Lindenallee", "Bergstraße", "Kirchweg", "Mozartstraße", "Rosenweg"],
    cities: [
      { city: "Berlin", postcodes: ["10115", "10178", "10245", "10405", "10437", "10999", "12043"] },
      { city: "Hamburg", postcodes: ["20095", "20249", "22765", "22767"] },
      { city: "München", postcodes: ["80331", "80469", "80799", "81541"] },
      { city: "Köln", postcodes: ["50667", "50672", "50823"] },
      { city: "Leipzig", postcodes: ["04103", "04107", "04275"] },
      { city: "Frankfurt am Main", postcodes: ["60311", "60316", "60594"] },
    ],
    line1: (rng, street) => `${street} ${rng.int(1, 120)}${rng.chance(0.1) ? "a" : ""}`,
    line2: (rng) => (rng.chance(0.15) ? rng.pick(["Hinterhaus", `${rng.int(1, 5)}. OG`]) : null),
    postcode: (_rng, prefix) => prefix,
    phone: () => null,
    warehouse: "Venlo, NL",
    hubs: ["Kassel, DE", "Hannover, DE", "Erfurt, DE"],
  },
  FR: {
    currency: "EUR",
    share: 11,
    taxRate: 0.2,
    firstNames: ["Louis", "Camille", "Gabriel", "Léa", "Hugo", "Chloé", "Arthur", "Manon", "Jules", "Inès", "Lucas", "Juliette", "Nathan", "Zoé"],
    lastNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel"],
    streets: ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Voltaire", "rue du Moulin", "rue des Lilas", "place de la Mairie", "rue Pasteur", "allée des Tilleuls", "rue de la Paix"],
    cities: [
      { city: "Paris", postcodes: ["75003", "75011", "75015", "75018", "75020"] },
      { city: "Lyon", postcodes: ["69001", "69003", "69007"] },
      { city: "Marseille", postcodes: ["13001", "13006", "13008"] },
      { city: "Toulouse", postcodes: ["31000", "31300", "31400"] },
      { city: "Lille", postcodes: ["59000", "59800"] },
      { city: "Nantes", postcodes: ["44000", "44100"] },
      { city: "Bordeaux", postcodes: ["33000", "33800"] },
    ],
    line1: (rng, street) => `${rng.int(1, 140)}${rng.chance(0.08) ? " bis" : ""} ${street}`,
    line2: (rng) => (rng.chance(0.2) ? rng.pick([`Bâtiment ${rng.pick(["A", "B", "C"])}`, `Appartement ${rng.int(1, 60)}`]) : null),
    postcode: (_rng, prefix) => prefix,
    // ARCEP reserves 06 39 98 xx xx for fiction.
    phone: (rng) => `+33 6 39 98 ${twoDigits(rng)} ${twoDigits(rng)}`,
    warehouse: "Venlo, NL",
    hubs: ["Paris-Nord, FR", "Lyon Saint-Exupéry, FR", "Orléans, FR"],
  },
  NL: {
    currency: "EUR",
    share: 11,
    taxRate: 0.21,
    firstNames: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sophie", "Levi", "Anna", "Milan", "Sara", "Bram", "Fleur"],
    lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters"],
    streets: ["Prinsengracht", "Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Wilhelminastraat", "Julianalaan", "Lindenlaan", "Nieuwstraat", "Schoolstraat"],
    cities: [
      { city: "Amsterdam", postcodes: ["1012", "1015", "1017", "1053", "1072", "1091"] },
      { city: "Rotterdam", postcodes: ["3011", "3013", "3021", "3071"] },
      { city: "Utrecht", postcodes: ["3511", "3512", "3581"] },
      { city: "Den Haag", postcodes: ["2511", "2514", "2585"] },
      { city: "Eindhoven", postcodes: ["5611", "5616"] },
      { city: "Groningen", postcodes: ["9711", "9712"] },
    ],
    line1: (rng, street) => `${street} ${rng.int(1, 250)}${rng.chance(0.15) ? `-${rng.int(1, 4)}` : ""}`,
    line2: () => null,
    postcode: (rng, digits) => `${digits} ${rng.pick([..."ABCEGHJKLMNPRTVWXZ"])}${rng.pick([..."ABCEGHJKLMNPRTVWXZ"])}`,
    phone: () => null,
    warehouse: "Venlo, NL",
    hubs: ["Nieuwegein, NL", "Zwolle, NL"],
  },
};

// ---------------------------------------------------------------- catalogue

type Category = "apparel" | "shoes" | "accessories" | "home" | "beauty" | "electronics" | "gift-cards";

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

type CatalogueVariant = {
  id: string;
  sku: string;
  label: string;
  product: CatalogueProduct;
  prices: Record<Currency, number>;
};

type CatalogueProduct = ProductSpec & { id: string };

type Catalogue = {
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

function buildCatalogue(): Catalogue {
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

// ---------------------------------------------------------------- plans

type AddressSnapshot = {
  fullName: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: CountryCode;
};

type SeedAddress = { id: string; snapshot: AddressSnapshot; phone: string | null; taxRate: number; createdAt: Date };

type PlannedCustomer = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  analyticsId: string;
  analyticsConsent: boolean;
  createdAt: Date;
  country: CountryCode;
  currency: Currency;
  addresses: SeedAddress[];
  orders: OrderPlan[];
};

type PricedLine = { variant: CatalogueVariant; quantity: number; unitPriceMinor: number; taxMinor: number };

type ShipmentEventPlan = { status: ShipmentStatus; description: string; location: string; at: Date };

type ShipmentPlan = {
  carrier: "Parcelnet" | "SwiftPost";
  shippedAt: Date;
  expectedAt: Date;
  /** The whole journey, including what has not happened yet: materialising cuts it at `now`. */
  events: ShipmentEventPlan[];
};

type ReturnReason = "wrong_size" | "damaged" | "not_as_described" | "changed_mind" | "wrong_item";
type ReturnStep = { to: ReturnStatus; at: Date; actor: string; note?: string };

type ReturnPlan = {
  requestedAt: Date;
  resolution: Extract<ReturnResolution, "REFUND" | "STORE_CREDIT">;
  method: ReturnMethod;
  lines: { lineIndex: number; quantity: number; reason: ReturnReason; note?: string }[];
  /** Everything after the customer's request, in order; cut at `now` like shipment events. */
  steps: ReturnStep[];
};

type OrderPlan = {
  customer: PlannedCustomer;
  address: SeedAddress;
  placedAt: Date;
  promisedDeliveryAt: Date;
  lines: PricedLine[];
  chargedAt: Date;
  chargeFailure?: string;
  /** When a customer whose card was declined paid the balance instead. */
  balancePaidAt?: Date;
  cancellation?: { at: Date; actor: string };
  shipment?: ShipmentPlan;
  returns: ReturnPlan[];
};

/** What a planner decides about an order; buildOrderPlan adds the charge and the carrier's scans. */
type OrderSpec = {
  customer: PlannedCustomer;
  address: SeedAddress;
  placedAt: Date;
  promisedDays: number;
  lines: PricedLine[];
  chargeFailure?: string;
  balancePaidAt?: Date;
  cancellation?: { at: Date; actor: string };
  shipping?: { shippedAt: Date; deliveredAt?: Date; delayed: boolean };
  returns?: ReturnPlan[];
};

const PAYMENT_FAILURE_CODES = ["card_declined", "insufficient_funds", "expired_card", "authentication_required"];
// An unpaid order is cancelled by the system after this long.
const PAYMENT_GRACE = 3 * DAY;

const DELIVERY_NOTES = [
  ["Delivered: handed to the recipient", 5],
  ["Delivered to a safe place", 2],
  ["Delivered to a neighbour", 2],
  ["Delivered to a parcel locker", 1],
] as const;

function priceLine(variant: CatalogueVariant, quantity: number, currency: Currency, taxRate: number): PricedLine {
  const unitPriceMinor = variant.prices[currency];
  // Gift cards are a payment method, not a sale: tax is charged when they are spent.
  const taxMinor = variant.product.category === "gift-cards" ? 0 : Math.round(unitPriceMinor * quantity * taxRate);
  return { variant, quantity, unitPriceMinor, taxMinor };
}

function planShipment(rng: Random, address: SeedAddress, shippedAt: Date, expectedAt: Date, deliveredAt: Date | undefined, delayed: boolean): ShipmentPlan {
  const carrier = rng.weighted([["Parcelnet", 60], ["SwiftPost", 40]] as const);
  const profile = COUNTRIES[address.snapshot.country];
  const hub = rng.pick(profile.hubs);
  const destination = [address.snapshot.city, address.snapshot.region, address.snapshot.country].filter(Boolean).join(", ");
  // A parcel that never arrives keeps being scanned for a while after its promised date.
  const end = deliveredAt ?? shift(expectedAt, 5 * DAY);
  const span = end.getTime() - shippedAt.getTime();
  const along = (fraction: number) => shift(shippedAt, span * (fraction + rng.next() * 0.05));
  const events: ShipmentEventPlan[] = [
    { status: "LABEL_CREATED", description: "Shipping label created", location: profile.warehouse, at: shippedAt },
    { status: "IN_TRANSIT", description: `Picked up by ${carrier}`, location: profile.warehouse, at: along(0.08) },
    { status: "IN_TRANSIT", description: "Arrived at sorting hub", location: hub, at: along(0.3) },
  ];
  if (delayed) {
    events.push(
      { status: "EXCEPTION", description: "Delayed: high parcel volumes at the sorting hub", location: hub, at: along(0.45) },
      { status: "IN_TRANSIT", description: "Departed sorting hub", location: hub, at: along(0.7) },
    );
  } else {
    events.push({ status: "IN_TRANSIT", description: "Departed sorting hub", location: hub, at: along(0.5) });
  }
  if (deliveredAt) {
    const outForDelivery = shift(deliveredAt, -Math.min(rng.int(HOUR, 5 * HOUR), span * 0.1));
    events.push(
      { status: "OUT_FOR_DELIVERY", description: "Out for delivery", location: destination, at: outForDelivery },
      { status: "DELIVERED", description: rng.weighted(DELIVERY_NOTES), location: destination, at: deliveredAt },
    );
  }
  return { carrier, shippedAt, expectedAt, events };
}

function buildOrderPlan(rng: Random, spec: OrderSpec): OrderPlan {
  const promisedDeliveryAt = shift(spec.placedAt, spec.promisedDays * DAY);
  const shipment = spec.shipping
    ? planShipment(rng, spec.address, spec.shipping.shippedAt, promisedDeliveryAt, spec.shipping.deliveredAt, spec.shipping.delayed)
    : undefined;
  return {
    customer: spec.customer,
    address: spec.address,
    placedAt: spec.placedAt,
    promisedDeliveryAt,
    lines: spec.lines,
    chargedAt: shift(spec.placedAt, rng.int(3, 40) * SECOND),
    chargeFailure: spec.chargeFailure,
    balancePaidAt: spec.balancePaidAt,
    cancellation: spec.cancellation,
    shipment,
    returns: spec.returns ?? [],
  };
}

function pickLines(rng: Random, catalogue: Catalogue, customer: PlannedCustomer, address: SeedAddress): PricedLine[] {
  const count = rng.weighted([[1, 45], [2, 30], [3, 17], [4, 8]] as const);
  const chosen = new Set<CatalogueVariant>();
  // Distinct variants; a few extra draws cover the rare repeat.
  for (let draw = 0; chosen.size < count && draw < count * 4; draw++) chosen.add(rng.weighted(catalogue.popularity));
  return [...chosen].map((variant) => {
    const multiples = variant.product.category === "home" || variant.product.category === "beauty";
    const quantity = rng.weighted(multiples ? ([[1, 70], [2, 22], [3, 8]] as const) : ([[1, 88], [2, 10], [3, 2]] as const));
    return priceLine(variant, quantity, customer.currency, address.taxRate);
  });
}

const RETURN_NOTES: Record<ReturnReason, readonly string[]> = {
  wrong_size: ["Runs small, I need a size up", "Runs large", "Too tight", "Doesn't fit as expected"],
  damaged: ["Arrived damaged", "Packaging was crushed and the item is scratched", "Has a visible defect", "Arrived broken"],
  not_as_described: ["The colour is much darker than in the photos", "Material feels thinner than described", "Smaller than it looks online"],
  changed_mind: ["Found something I like better", "Bought it as a gift, no longer needed", "Doesn't go with what I have"],
  wrong_item: ["Received a different colour", "Not the product I ordered", "Received someone else's order"],
};

function pickReturnReason(rng: Random, category: Category): ReturnReason {
  const fitted = category === "apparel" || category === "shoes";
  return rng.weighted<ReturnReason>(
    fitted
      ? [["wrong_size", 45], ["changed_mind", 25], ["not_as_described", 15], ["damaged", 8], ["wrong_item", 7]]
      : [["changed_mind", 35], ["damaged", 28], ["not_as_described", 22], ["wrong_item", 15]],
  );
}

function returnValueMinor(orderLines: PricedLine[], lines: ReturnPlan["lines"]): number {
  return lines.reduce((sum, { lineIndex, quantity }) => {
    const line = orderLines[lineIndex];
    return sum + line.unitPriceMinor * quantity + Math.round((line.taxMinor * quantity) / line.quantity);
  }, 0);
}

/** How a return moves through the warehouse; the customer cancels or the inspection declines now and then. */
function randomReturnSteps(rng: Random, requestedAt: Date, resolution: ReturnPlan["resolution"], needsReview: boolean): ReturnStep[] {
  const steps: ReturnStep[] = [];
  let clock = requestedAt;
  const after = (min: number, max: number) => (clock = shift(clock, rng.int(min, max)));
  if (needsReview) {
    steps.push({ to: "HELD_FOR_REVIEW", at: after(30 * SECOND, 2 * MINUTE), actor: "system" });
    steps.push({ to: "APPROVED", at: after(2 * HOUR, 22 * HOUR), actor: AGENT_ACTOR });
  } else {
    steps.push({ to: "APPROVED", at: after(30 * SECOND, 3 * MINUTE), actor: "system" });
  }
  if (rng.chance(0.04)) {
    steps.push({ to: "CANCELLED", at: after(DAY, 6 * DAY), actor: "customer" });
    return steps;
  }
  steps.push({ to: "IN_TRANSIT", at: after(6 * HOUR, 4 * DAY), actor: "system" });
  steps.push({ to: "RECEIVED", at: after(DAY, 4 * DAY), actor: "backoffice" });
  steps.push({ to: "INSPECTED", at: after(2 * HOUR, 2 * DAY), actor: "backoffice" });
  if (rng.chance(0.04)) {
    steps.push({ to: "DECLINED", at: after(5 * MINUTE, 3 * HOUR), actor: "backoffice", note: "Item shows signs of wear; sent back to the customer" });
  } else {
    steps.push({ to: resolution === "REFUND" ? "REFUNDED" : "CREDITED", at: after(MINUTE, 20 * MINUTE), actor: "system" });
  }
  return steps;
}

function planRandomReturn(rng: Random, orderLines: PricedLine[], deliveredAt: Date): ReturnPlan | undefined {
  const returnable = orderLines
    .map((line, lineIndex) => ({ line, lineIndex }))
    .filter(({ line }) => !line.variant.product.finalSale && !line.variant.product.hygiene);
  if (returnable.length === 0) return undefined;
  const lines = rng.sample(returnable, rng.weighted([[1, 80], [2, 20]] as const)).map(({ line, lineIndex }) => {
    const reason = pickReturnReason(rng, line.variant.product.category);
    return { lineIndex, quantity: rng.int(1, line.quantity), reason, note: rng.chance(0.35) ? rng.pick(RETURN_NOTES[reason]) : undefined };
  });
  const requestedAt = shift(deliveredAt, rng.int(6 * HOUR, (RETURN_WINDOW_DAYS - 4) * DAY));
  const resolution = rng.weighted([["REFUND", 75], ["STORE_CREDIT", 25]] as const);
  const needsReview = returnValueMinor(orderLines, lines) >= RETURN_REVIEW_FROM_MINOR;
  return {
    requestedAt,
    resolution,
    method: rng.weighted([["DROP_OFF", 55], ["LABEL", 35], ["PICKUP", 10]] as const),
    lines,
    steps: randomReturnSteps(rng, requestedAt, resolution, needsReview),
  };
}

/** One ordinary order: the whole life it will have, decided up front from the customer's stream. */
function planRandomOrder(rng: Random, catalogue: Catalogue, customer: PlannedCustomer, placedAt: Date): OrderPlan {
  const known = customer.addresses.filter((a) => a.createdAt <= placedAt);
  const address = known.length > 1 && rng.chance(0.2) ? known[1] : known[0];
  const lines = pickLines(rng, catalogue, customer, address);
  const promisedDays = rng.int(3, 7);
  const chargeFailure = rng.chance(0.04) ? rng.pick(PAYMENT_FAILURE_CODES) : undefined;
  let balancePaidAt: Date | undefined;
  let cancellation: OrderSpec["cancellation"];
  if (chargeFailure) {
    if (rng.chance(0.6)) balancePaidAt = shift(placedAt, rng.int(20 * MINUTE, 30 * HOUR));
    else cancellation = { at: shift(placedAt, PAYMENT_GRACE), actor: "system" };
  }
  // The charge lands seconds after placing; everything below is minutes or hours later.
  const paidAt = chargeFailure ? balancePaidAt : placedAt;
  if (paidAt && rng.chance(0.035)) {
    cancellation = { at: shift(paidAt, rng.int(5 * MINUTE, 6 * HOUR)), actor: rng.chance(0.8) ? "customer" : AGENT_ACTOR };
  }
  let shipping: OrderSpec["shipping"];
  let returns: ReturnPlan[] = [];
  if (paidAt && !cancellation) {
    const shippedAt = shift(paidAt, rng.int(4 * HOUR, 36 * HOUR));
    const expectedAt = shift(placedAt, promisedDays * DAY);
    const late = rng.chance(0.08);
    const deliveredAt = late ? shift(expectedAt, rng.int(5 * HOUR, 4 * DAY)) : rng.dateBetween(shift(shippedAt, 20 * HOUR), shift(expectedAt, -30 * MINUTE));
    shipping = { shippedAt, deliveredAt, delayed: late };
    const planned = rng.chance(0.06) ? planRandomReturn(rng, lines, deliveredAt) : undefined;
    if (planned) returns = [planned];
  }
  return buildOrderPlan(rng, { customer, address, placedAt, promisedDays, lines, chargeFailure, balancePaidAt, cancellation, shipping, returns });
}

function planAddress(rng: Random, country: CountryCode, fullName: string, phone: string | null, createdAt: Date, id: string): SeedAddress {
  const profile = COUNTRIES[country];
  const city = rng.pick(profile.cities);
  return {
    id,
    phone,
    createdAt,
    taxRate: city.taxRate ?? profile.taxRate,
    snapshot: {
      fullName,
      line1: profile.line1(rng, rng.pick(profile.streets)),
      line2: profile.line2(rng),
      city: city.city,
      region: city.region ?? null,
      postalCode: profile.postcode(rng, rng.pick(city.postcodes)),
      country,
    },
  };
}

function planRandomCustomer(rng: Random, catalogue: Catalogue, index: number, now: Date): PlannedCustomer {
  const serial = String(index).padStart(4, "0");
  const country = rng.weighted(Object.entries(COUNTRIES).map(([code, p]) => [code as CountryCode, p.share] as const));
  const profile = COUNTRIES[country];
  const name = `${rng.pick(profile.firstNames)} ${rng.pick(profile.lastNames)}`;
  const phone = rng.chance(0.4) ? profile.phone(rng) : null;
  const createdAt = rng.dateBetween(shift(now, -1000 * DAY), shift(now, -14 * DAY));
  const customer: PlannedCustomer = {
    id: `seed_usr_${serial}`,
    email: `customer${serial}@example.com`,
    name,
    phone,
    analyticsId: rng.uuid(),
    analyticsConsent: rng.chance(0.85),
    createdAt,
    country,
    currency: profile.currency,
    addresses: [planAddress(rng, country, name, phone, createdAt, `seed_adr_${serial}_1`)],
    orders: [],
  };
  if (rng.chance(0.3)) {
    const movedIn = rng.dateBetween(createdAt, shift(now, -DAY));
    customer.addresses.push(planAddress(rng, country, name, phone, movedIn, `seed_adr_${serial}_2`));
  }
  const firstOrderFrom = latest([shift(createdAt, HOUR), shift(now, -365 * DAY)]);
  const activeDays = (now.getTime() - firstOrderFrom.getTime()) / DAY;
  const wanted = rng.weighted([[0, 3], [1, 4], [2, 5], [3, 5], [4, 6], [5, 7], [6, 7], [7, 8], [8, 8], [9, 8], [10, 8], [11, 8], [12, 7], [13, 6], [14, 5], [15, 5]] as const);
  // Someone who signed up last month has not placed fifteen orders.
  const count = Math.min(wanted, 1 + Math.floor(activeDays / 10));
  const placedTimes = Array.from({ length: count }, () => rng.dateBetween(firstOrderFrom, shift(now, -20 * MINUTE))).sort((a, b) => a.getTime() - b.getTime());
  customer.orders = placedTimes.map((placedAt) => planRandomOrder(rng, catalogue, customer, placedAt));
  return customer;
}

// ---------------------------------------------------------------- the fixed accounts

function fixedCustomer(rng: Random, account: DemoAccount, country: CountryCode, createdAt: Date, phone: string, addresses: Omit<SeedAddress, "createdAt" | "phone">[]): PlannedCustomer {
  return {
    id: `seed_usr_${account.email.split("@")[0]}`,
    email: account.email,
    name: account.name,
    phone,
    analyticsId: rng.uuid(),
    analyticsConsent: true,
    createdAt,
    country,
    currency: COUNTRIES[country].currency,
    addresses: addresses.map((a) => ({ ...a, phone, createdAt })),
    orders: [],
  };
}

/**
 * Ada has an order in every state the portal must handle, so one sign-in shows every screen.
 * Times are exact (relative to now) rather than drawn, so each state is guaranteed.
 */
function planAda(rng: Random, catalogue: Catalogue, now: Date): PlannedCustomer {
  const ago = (days: number, hours = 0) => shift(now, -(days * DAY + hours * HOUR));
  const ada = fixedCustomer(rng, ADA, "GB", ago(420), "+44 7700 900461", [
    {
      id: "seed_adr_ada_home",
      taxRate: 0.2,
      snapshot: { fullName: "Ada Lovelace", line1: "27 Marchmont Street", line2: "Flat 3", city: "London", region: null, postalCode: "WC1N 1AP", country: "GB" },
    },
    {
      id: "seed_adr_ada_work",
      taxRate: 0.2,
      snapshot: { fullName: "Ada Lovelace", line1: "Babbage House", line2: "5 Engine Lane", city: "Cambridge", region: null, postalCode: "CB2 1TN", country: "GB" },
    },
  ]);
  const [home, work] = ada.addresses;
  const line = (code: string, variantIndex: number, quantity = 1, address = home) => priceLine(catalogue.byCode(code, variantIndex), quantity, "GBP", address.taxRate);
  const order = (spec: Omit<OrderSpec, "customer" | "address"> & { address?: SeedAddress }) => buildOrderPlan(rng, { customer: ada, address: home, ...spec });

  const scripted: OrderPlan[] = [
    // Paid a few hours ago, not shipped yet: still cancellable.
    order({ placedAt: ago(0, 5), promisedDays: 5, lines: [line("LINEN-SHIRT", 1), line("CANDLE", 0, 2)] }),
    // Card declined yesterday: the balance is still due.
    order({ placedAt: ago(1, 3), promisedDays: 5, lines: [line("TRAIL-SHOE", 1)], chargeFailure: "card_declined" }),
    // On its way and on time.
    order({
      placedAt: ago(2, 4),
      promisedDays: 5,
      lines: [line("RAIN-SHELL", 1), line("BEANIE", 2)],
      shipping: { shippedAt: ago(1, 6), deliveredAt: ago(-2, -3), delayed: false },
    }),
    // Promised a week ago and still stuck in the carrier's network.
    order({ placedAt: ago(11), promisedDays: 4, lines: [line("EARBUDS", 0)], shipping: { shippedAt: ago(10, 2), delayed: true } }),
    // Delivered on time six days ago, inside the return window; the face cream is a hygiene item.
    order({
      placedAt: ago(9),
      promisedDays: 5,
      lines: [line("TEE", 2, 2), line("SNEAKER", 3), line("FACE-CREAM", 0)],
      shipping: { shippedAt: ago(8, 6), deliveredAt: ago(6, 3), delayed: false },
    }),
    // Delivered three days late; the gift card is final sale.
    order({
      placedAt: ago(22),
      promisedDays: 4,
      lines: [line("GIFT-CARD", 1), line("WALLET", 0), line("SCARF", 1)],
      shipping: { shippedAt: ago(21, 4), deliveredAt: ago(15, 2), delayed: true },
    }),
    // Delivered long ago to the work address, well outside the return window.
    order({
      placedAt: ago(75),
      promisedDays: 6,
      address: work,
      lines: [line("OVERCOAT", 0, 1, work)],
      shipping: { shippedAt: ago(74, 3), deliveredAt: ago(71, 5), delayed: false },
    }),
    // Cancelled by Ada within the hour and refunded in full.
    order({ placedAt: ago(40), promisedDays: 5, lines: [line("SPEAKER", 1)], cancellation: { at: ago(40, -0.8), actor: "customer" } }),
  ];

  // Two pairs of chinos, one sent back and refunded: partially returned.
  const partiallyReturned = order({
    placedAt: ago(27),
    promisedDays: 5,
    lines: [line("CHINOS", 1, 2), line("BRETON", 0)],
    shipping: { shippedAt: ago(26, 5), deliveredAt: ago(24, 2), delayed: false },
  });
  partiallyReturned.returns.push({
    requestedAt: ago(21),
    resolution: "REFUND",
    method: "DROP_OFF",
    lines: [{ lineIndex: 0, quantity: 1, reason: "wrong_size", note: "Kept one pair, the other is too tight around the waist" }],
    steps: [
      { to: "APPROVED", at: ago(21, -0.03), actor: "system" },
      { to: "IN_TRANSIT", at: ago(19, 4), actor: "system" },
      { to: "RECEIVED", at: ago(16, 7), actor: "backoffice" },
      { to: "INSPECTED", at: ago(15, 9), actor: "backoffice" },
      { to: "REFUNDED", at: ago(15, 8.8), actor: "system" },
    ],
  });

  // A return on its way back with a paid label: shows an in-progress return and a fee.
  const returnInTransit = order({
    placedAt: ago(16),
    promisedDays: 5,
    lines: [line("HOODIE", 2), line("TOTE", 0)],
    shipping: { shippedAt: ago(15, 2), deliveredAt: ago(12, 6), delayed: false },
  });
  returnInTransit.returns.push({
    requestedAt: ago(3, 5),
    resolution: "REFUND",
    method: "LABEL",
    lines: [{ lineIndex: 0, quantity: 1, reason: "changed_mind" }],
    steps: [
      { to: "APPROVED", at: ago(3, 4.95), actor: "system" },
      { to: "IN_TRANSIT", at: ago(1, 20), actor: "system" },
    ],
  });

  // A chipped mug set, settled in store credit: gives Ada a credit balance.
  const creditedReturn = order({
    placedAt: ago(140),
    promisedDays: 5,
    lines: [line("MUG-SET", 1), line("TOWEL", 0, 2)],
    shipping: { shippedAt: ago(139, 2), deliveredAt: ago(136, 4), delayed: false },
  });
  creditedReturn.returns.push({
    requestedAt: ago(134),
    resolution: "STORE_CREDIT",
    method: "PICKUP",
    lines: [{ lineIndex: 0, quantity: 1, reason: "damaged", note: "One mug arrived chipped" }],
    steps: [
      { to: "APPROVED", at: ago(134, -0.02), actor: "system" },
      { to: "IN_TRANSIT", at: ago(132, 3), actor: "system" },
      { to: "RECEIVED", at: ago(130, 6), actor: "backoffice" },
      { to: "INSPECTED", at: ago(129, 22), actor: "backoffice" },
      { to: "CREDITED", at: ago(129, 21.8), actor: "system" },
    ],
  });

  // An ordinary year of history around the scripted orders.
  const history = Array.from({ length: 14 }, () => rng.dateBetween(ago(365), ago(45)))
    .sort((a, b) => a.getTime() - b.getTime())
    .map((placedAt) => planRandomOrder(rng, catalogue, ada, placedAt));

  ada.orders = [...history, ...scripted, partiallyReturned, returnInTransit, creditedReturn];
  return ada;
}

function planGrace(rng: Random, catalogue: Catalogue, now: Date): PlannedCustomer {
  const ago = (days: number, hours = 0) => shift(now, -(days * DAY + hours * HOUR));
  const grace = fixedCustomer(rng, GRACE, "US", ago(380), "+1 703 555 0142", [
    {
      id: "seed_adr_grace_home",
      taxRate: 0.06,
      snapshot: { fullName: "Grace Hopper", line1: "4100 Wilson Boulevard", line2: "Apt 1209", city: "Arlington", region: "VA", postalCode: "22203", country: "US" },
    },
  ]);
  const [home] = grace.addresses;
  const line = (code: string, variantIndex: number, quantity = 1) => priceLine(catalogue.byCode(code, variantIndex), quantity, "USD", home.taxRate);
  const order = (spec: Omit<OrderSpec, "customer" | "address">) => buildOrderPlan(rng, { customer: grace, address: home, ...spec });
  const history = [ago(260), ago(130)].map((placedAt) => planRandomOrder(rng, catalogue, grace, placedAt));
  grace.orders = [
    ...history,
    order({ placedAt: ago(8), promisedDays: 5, lines: [line("DESK-LAMP", 0), line("CABLE", 1, 2)], shipping: { shippedAt: ago(7, 3), deliveredAt: ago(4, 6), delayed: false } }),
    order({ placedAt: ago(3), promisedDays: 6, lines: [line("SWEATER", 1)], shipping: { shippedAt: ago(2, 2), deliveredAt: ago(-1, 2), delayed: false } }),
    order({ placedAt: ago(0, 9), promisedDays: 5, lines: [line("LOAFER", 0), line("BELT", 1)] }),
  ];
  return grace;
}

// ---------------------------------------------------------------- rows

type SeedRows = {
  users: Prisma.UserCreateManyInput[];
  addresses: Prisma.AddressCreateManyInput[];
  products: Prisma.ProductCreateManyInput[];
  variants: Prisma.VariantCreateManyInput[];
  orders: Prisma.OrderCreateManyInput[];
  orderLines: Prisma.OrderLineCreateManyInput[];
  orderStatusChanges: Prisma.OrderStatusChangeCreateManyInput[];
  shipments: Prisma.ShipmentCreateManyInput[];
  shipmentEvents: Prisma.ShipmentEventCreateManyInput[];
  payments: Prisma.PaymentCreateManyInput[];
  returns: Prisma.ReturnCreateManyInput[];
  returnLines: Prisma.ReturnLineCreateManyInput[];
  returnStatusChanges: Prisma.ReturnStatusChangeCreateManyInput[];
  refunds: Prisma.RefundCreateManyInput[];
  storeCredit: Prisma.StoreCreditEntryCreateManyInput[];
};

function sequence(prefix: string) {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(6, "0")}`;
}

/** Human-facing numbers that grow with time, with the gaps other shoppers' orders would leave. */
function numbering(rng: Random, prefix: string, first: number) {
  let next = first;
  return () => {
    if (next > 999_999) throw new Error(`${prefix} numbers ran out of six digits: seed fewer customers`);
    const number = `${prefix}${next}`;
    next += rng.int(1, 3);
    return number;
  };
}

function buildDemoRows({ seed, customerCount, now, passwordHash }: { seed: number; customerCount: number; now: Date; passwordHash: string }): SeedRows {
  const catalogue = buildCatalogue();
  const customers = [
    planAda(createRandom(deriveSeed(seed, "ada")), catalogue, now),
    planGrace(createRandom(deriveSeed(seed, "grace")), catalogue, now),
    ...Array.from({ length: customerCount }, (_, i) => planRandomCustomer(createRandom(deriveSeed(seed, `customer:${i + 1}`)), catalogue, i + 1, now)),
  ];
  const rows: SeedRows = {
    users: [],
    addresses: [],
    products: [],
    variants: [],
    orders: [],
    orderLines: [],
    orderStatusChanges: [],
    shipments: [],
    shipmentEvents: [],
    payments: [],
    returns: [],
    returnLines: [],
    returnStatusChanges: [],
    refunds: [],
    storeCredit: [],
  };

  const staffRandom = createRandom(deriveSeed(seed, "staff"));
  for (const [account, id, joinedDaysAgo] of [[AGENT, AGENT_USER_ID, 500], [ANALYST, "seed_usr_analyst", 480]] as const) {
    const createdAt = shift(now, -joinedDaysAgo * DAY);
    rows.users.push({ id, email: account.email, name: account.name, role: account.role, passwordHash, analyticsId: staffRandom.uuid(), createdAt, updatedAt: createdAt });
  }
  for (const c of customers) {
    rows.users.push({
      id: c.id,
      email: c.email,
      name: c.name,
      phone: c.phone,
      role: "CUSTOMER",
      passwordHash,
      analyticsId: c.analyticsId,
      analyticsConsent: c.analyticsConsent,
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
    });
    c.addresses.forEach((a, index) => {
      rows.addresses.push({ id: a.id, userId: c.id, ...a.snapshot, phone: a.phone, isDefaultShipping: index === 0, isDefaultBilling: index === 0, createdAt: a.createdAt });
    });
  }

  const orders = customers.flatMap((c) => c.orders).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const numbers = createRandom(deriveSeed(seed, "numbers"));
  const nextOrderNumber = numbering(numbers, "WM-", 204_817);
  const nextReturnNumber = numbering(numbers, "RT-", 100_362);
  const returnNumbers = new Map(
    orders
      .flatMap((o) => o.returns)
      .filter((r) => r.requestedAt <= now)
      .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime())
      .map((r) => [r, nextReturnNumber()] as const),
  );
  const ids = {
    order: sequence("seed_ord_"),
    line: sequence("seed_oln_"),
    statusChange: sequence("seed_osc_"),
    shipment: sequence("seed_shp_"),
    shipmentEvent: sequence("seed_sev_"),
    payment: sequence("seed_pay_"),
    paymentIntent: sequence("pi_seed_"),
    refund: sequence("seed_ref_"),
    stripeRefund: sequence("re_seed_"),
    return: sequence("seed_ret_"),
    returnLine: sequence("seed_rln_"),
    returnStatusChange: sequence("seed_rsc_"),
    storeCredit: sequence("seed_scr_"),
  };
  let shipmentSerial = 0;
  const trackingRandom = createRandom(deriveSeed(seed, "tracking"));
  const reserved = new Map<string, number>();

  for (const plan of orders) {
    const number = nextOrderNumber();
    const orderId = ids.order();
    const currency = plan.customer.currency;
    const subtotalMinor = plan.lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
    const taxMinor = plan.lines.reduce((sum, l) => sum + l.taxMinor, 0);
    const shippingMinor = subtotalMinor >= FREE_SHIPPING_FROM_MINOR[currency] ? 0 : STANDARD_SHIPPING_MINOR[currency];
    const totalMinor = subtotalMinor + shippingMinor + taxMinor;

    // Status history, cut at `now`. Charges settle within seconds and orders are never placed in
    // the last few minutes, so the charge outcome is always known.
    let status: OrderStatus = "PENDING_PAYMENT";
    const changes: { to: OrderStatus; at: Date; actor: string }[] = [{ to: status, at: plan.placedAt, actor: "customer" }];
    const moveTo = (to: OrderStatus, at: Date, actor: string) => {
      changes.push({ to, at, actor });
      status = to;
    };
    let paymentIntentId = ids.paymentIntent();
    rows.payments.push({
      id: ids.payment(),
      orderId,
      kind: "CHARGE",
      amountMinor: totalMinor,
      currency,
      status: plan.chargeFailure ? "FAILED" : "SUCCEEDED",
      stripeId: paymentIntentId,
      idempotencyKey: `order:${number}:charge`,
      failureCode: plan.chargeFailure ?? null,
      createdAt: plan.chargedAt,
      updatedAt: plan.chargedAt,
    });
    const paidAt = plan.chargeFailure ? plan.balancePaidAt : plan.chargedAt;
    const paid = paidAt !== undefined && paidAt <= now;
    if (paid && plan.chargeFailure) {
      paymentIntentId = ids.paymentIntent();
      rows.payments.push({
        id: ids.payment(),
        orderId,
        kind: "BALANCE",
        amountMinor: totalMinor,
        currency,
        status: "SUCCEEDED",
        stripeId: paymentIntentId,
        idempotencyKey: `order:${number}:balance`,
        createdAt: paidAt,
        updatedAt: paidAt,
      });
    }
    if (paid) moveTo("PROCESSING", paidAt, "stripe");

    let refundedMinor = 0;
    const refundTimes: Date[] = [];
    const cancelled = plan.cancellation && plan.cancellation.at <= now;
    if (plan.cancellation && cancelled) {
      moveTo("CANCELLED", plan.cancellation.at, plan.cancellation.actor);
      if (paid) {
        refundedMinor = totalMinor;
        refundTimes.push(plan.cancellation.at);
        rows.refunds.push({
          id: ids.refund(),
          orderId,
          amountMinor: totalMinor,
          currency,
          status: "SUCCEEDED",
          reason: "order_cancelled",
          stripeRefundId: ids.stripeRefund(),
          idempotencyKey: `order:${number}:cancel-refund`,
          createdAt: plan.cancellation.at,
          settledAt: earliest(shift(plan.cancellation.at, 4 * SECOND), now),
        });
      }
    }

    let deliveredAt: Date | undefined;
    if (plan.shipment && !cancelled && plan.shipment.shippedAt <= now) {
      const shipmentId = ids.shipment();
      const events = plan.shipment.events.filter((e) => e.at <= now);
      deliveredAt = events.find((e) => e.status === "DELIVERED")?.at;
      // Disjoint ranges per shipment keep tracking numbers unique without looking sequential.
      const serial = ++shipmentSerial * 37 + trackingRandom.int(0, 36);
      const trackingNumber =
        plan.shipment.carrier === "Parcelnet"
          ? `PN${String(4_100_000_000 + serial)}`
          : `SP${String(300_000_000 + serial)}${plan.address.snapshot.country}`;
      rows.shipments.push({
        id: shipmentId,
        orderId,
        carrier: plan.shipment.carrier,
        trackingNumber,
        status: events[events.length - 1].status,
        shippedAt: plan.shipment.shippedAt,
        expectedAt: plan.shipment.expectedAt,
        deliveredAt: deliveredAt ?? null,
      });
      for (const e of events) rows.shipmentEvents.push({ id: ids.shipmentEvent(), shipmentId, ...e });
      moveTo("SHIPPED", plan.shipment.shippedAt, "backoffice");
      if (deliveredAt) moveTo("DELIVERED", deliveredAt, "system");
    }

    const lineIds = plan.lines.map(() => ids.line());
    const returnedQuantities = plan.lines.map(() => 0);
    plan.returns.forEach((returnPlan, returnIndex) => {
      const returnNumber = returnNumbers.get(returnPlan);
      if (!returnNumber) return;
      if (!deliveredAt || returnPlan.requestedAt < deliveredAt) throw new Error(`demo return ${returnNumber} precedes the delivery of ${number}`);
      const returnId = ids.return();
      const steps = returnPlan.steps.filter((s) => s.at <= now);
      const returnStatus = steps.length ? steps[steps.length - 1].to : "REQUESTED";
      const valueMinor = returnValueMinor(plan.lines, returnPlan.lines);
      const paysForLabel =
        returnPlan.method === "LABEL" && returnPlan.resolution === "REFUND" && returnPlan.lines.every((l) => CUSTOMER_CHOICE_REASONS.has(l.reason));
      const feeMinor = paysForLabel ? RETURN_LABEL_FEE_MINOR[currency] : 0;
      const refundMinor = returnStatus === "DECLINED" ? 0 : valueMinor - feeMinor;
      rows.returns.push({
        id: returnId,
        number: returnNumber,
        orderId,
        userId: plan.customer.id,
        status: returnStatus,
        resolution: returnPlan.resolution,
        method: returnPlan.method,
        policyVersion: 1,
        refundMinor,
        feeMinor,
        currency,
        idempotencyKey: `order:${number}:return:${returnIndex + 1}`,
        createdAt: returnPlan.requestedAt,
      });
      for (const l of returnPlan.lines) {
        rows.returnLines.push({ id: ids.returnLine(), returnId, orderLineId: lineIds[l.lineIndex], quantity: l.quantity, reason: l.reason, note: l.note ?? null });
      }
      let from: ReturnStatus = "REQUESTED";
      rows.returnStatusChanges.push({ id: ids.returnStatusChange(), returnId, from: null, to: from, at: returnPlan.requestedAt, actor: "customer" });
      for (const s of steps) {
        rows.returnStatusChanges.push({ id: ids.returnStatusChange(), returnId, from, to: s.to, at: s.at, actor: s.actor, note: s.note ?? null });
        from = s.to;
      }
      const settledAt = steps[steps.length - 1]?.at;
      if (returnStatus === "REFUNDED" && settledAt) {
        refundedMinor += refundMinor;
        refundTimes.push(settledAt);
        rows.refunds.push({
          id: ids.refund(),
          orderId,
          returnId,
          amountMinor: refundMinor,
          currency,
          status: "SUCCEEDED",
          reason: "return",
          stripeRefundId: ids.stripeRefund(),
          idempotencyKey: `return:${returnNumber}:refund`,
          createdAt: settledAt,
          settledAt,
        });
      }
      if (returnStatus === "CREDITED" && settledAt) {
        rows.storeCredit.push({ id: ids.storeCredit(), userId: plan.customer.id, amountMinor: refundMinor, currency, reason: "return", returnId, orderId, createdAt: settledAt });
      }
      if (returnStatus === "REFUNDED" || returnStatus === "CREDITED") {
        for (const l of returnPlan.lines) returnedQuantities[l.lineIndex] += l.quantity;
      }
    });

    plan.lines.forEach((l, index) => {
      rows.orderLines.push({
        id: lineIds[index],
        orderId,
        variantId: l.variant.id,
        productName: l.variant.product.name,
        sku: l.variant.sku,
        category: l.variant.product.category,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        taxMinor: l.taxMinor,
        cancelledQuantity: status === "CANCELLED" ? l.quantity : 0,
        returnedQuantity: returnedQuantities[index],
      });
      if (status === "PROCESSING" || status === "PENDING_PAYMENT") reserved.set(l.variant.id, (reserved.get(l.variant.id) ?? 0) + l.quantity);
    });

    let previous: OrderStatus | null = null;
    for (const change of changes) {
      rows.orderStatusChanges.push({ id: ids.statusChange(), orderId, from: previous, ...change });
      previous = change.to;
    }

    const paidMinor = paid ? totalMinor : 0;
    const paymentStatus: PaymentStatus = !paid
      ? "FAILED"
      : refundedMinor === 0
        ? "PAID"
        : refundedMinor >= paidMinor
          ? "REFUNDED"
          : "PARTIALLY_REFUNDED";
    rows.orders.push({
      id: orderId,
      number,
      userId: plan.customer.id,
      status,
      paymentStatus,
      currency,
      subtotalMinor,
      shippingMinor,
      taxMinor,
      totalMinor,
      paidMinor,
      refundedMinor,
      balanceDueMinor: status === "PENDING_PAYMENT" ? totalMinor : 0,
      shippingAddress: plan.address.snapshot,
      stripePaymentIntentId: paymentIntentId,
      placedAt: plan.placedAt,
      promisedDeliveryAt: plan.promisedDeliveryAt,
      updatedAt: latest([...changes.map((c) => c.at), ...refundTimes]),
    });
  }

  const stockRandom = createRandom(deriveSeed(seed, "stock"));
  for (const p of catalogue.products) {
    rows.products.push({ id: p.id, name: p.name, category: p.category, finalSale: p.finalSale ?? false, hygiene: p.hygiene ?? false });
  }
  for (const v of catalogue.variants) {
    const held = reserved.get(v.id) ?? 0;
    // Stock counts what is on the shelf, including units held for unshipped orders.
    const available = stockRandom.chance(0.12) ? 0 : stockRandom.int(1, 50);
    // A variant row holds one price: the EUR list price. USD and GBP orders were priced from the
    // regional lists in regionalPrices(), which the schema has no place for.
    rows.variants.push({ id: v.id, productId: v.product.id, sku: v.sku, label: v.label, priceMinor: v.prices.EUR, currency: "EUR", stock: available + held, reserved: held });
  }
  return rows;
}
