/**
 * The project both previews render in bench/preview-latency.mjs: one realistic 300-line React TSX component file, generated
 * deterministically, with a marker element whose text is a string literal the bench types into.
 */

/** The id of the element whose text the bench watches in the preview frame. */
export const MARKER_ID = "bench-marker";

/** The marker text before any edit; every typed character is appended to it. */
export const MARKER_BASE = "edit:";

/** Lines of the generated component file. */
export const APP_LINES = 300;

const CATEGORIES = ["tools", "garden", "kitchen", "office", "toys"];
const NOUNS = ["Hammer", "Trowel", "Kettle", "Stapler", "Kite", "Wrench", "Rake", "Whisk", "Folder", "Yo-yo", "Drill", "Hose"];
const ADJECTIVES = ["Small", "Sturdy", "Blue", "Classic", "Compact", "Deluxe", "Light", "Quiet", "Rapid", "Tidy"];

/** A small deterministic PRNG (mulberry32) so every run types into the same file. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function productRow(id, random) {
  const name = `${ADJECTIVES[Math.floor(random() * ADJECTIVES.length)]} ${NOUNS[Math.floor(random() * NOUNS.length)]} ${id}`;
  const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)];
  const price = (2 + random() * 120).toFixed(2);
  const stock = Math.floor(random() * 40);
  const rating = 1 + Math.floor(random() * 5);
  return `  { id: ${id}, name: ${JSON.stringify(name)}, category: "${category}", price: ${price}, stock: ${stock}, rating: ${rating} },`;
}

const HEAD = `// Inventory dashboard: a filterable, sortable product table with a counter and a status line.
import React, { useMemo, useState } from "react";

// The benchmark types into this string; the status line below shows it.
const MARKER = "${MARKER_BASE}";

type Category = "tools" | "garden" | "kitchen" | "office" | "toys";
type SortKey = "name" | "price" | "stock" | "rating";

interface Product {
  id: number;
  name: string;
  category: Category;
  price: number;
  stock: number;
  rating: number;
}

const PRODUCTS: Product[] = [`;

const TAIL = `];

const CATEGORY_LABELS: Record<Category, string> = {
  tools: "Tools",
  garden: "Garden",
  kitchen: "Kitchen",
  office: "Office",
  toys: "Toys",
};

function formatPrice(value: number): string {
  return "$" + value.toFixed(2);
}

function stockLabel(stock: number): string {
  if (stock === 0) return "sold out";
  if (stock < 5) return "only " + stock + " left";
  return stock + " in stock";
}

function stars(rating: number): string {
  let out = "";
  for (let i = 0; i < 5; i++) out += i < rating ? "\\u2605" : "\\u2606";
  return out;
}

function compareBy(key: SortKey, ascending: boolean) {
  return (a: Product, b: Product): number => {
    const left = a[key];
    const right = b[key];
    const order = typeof left === "string" ? left.localeCompare(String(right)) : Number(left) - Number(right);
    return ascending ? order : -order;
  };
}

interface Totals {
  count: number;
  units: number;
  value: number;
  averageRating: number;
}

function summarize(products: Product[]): Totals {
  let units = 0;
  let value = 0;
  let ratings = 0;
  for (const product of products) {
    units += product.stock;
    value += product.stock * product.price;
    ratings += product.rating;
  }
  return {
    count: products.length,
    units,
    value,
    averageRating: products.length ? ratings / products.length : 0,
  };
}

function Header({ title, count }: { title: string; count: number }) {
  return (
    <header className="header">
      <h1>{title}</h1>
      <p className="subtitle">{count} products</p>
    </header>
  );
}

interface FilterBarProps {
  query: string;
  category: Category | "all";
  onQuery: (value: string) => void;
  onCategory: (value: Category | "all") => void;
}

function FilterBar({ query, category, onQuery, onCategory }: FilterBarProps) {
  return (
    <div className="filters">
      <input
        type="search"
        placeholder="Filter by name"
        value={query}
        onChange={(event) => onQuery(event.target.value)}
      />
      <select value={category} onChange={(event) => onCategory(event.target.value as Category | "all")}>
        <option value="all">All categories</option>
        {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

function SortButton({ label, active, ascending, onClick }: { label: string; active: boolean; ascending: boolean; onClick: () => void }) {
  return (
    <button type="button" className={active ? "sort active" : "sort"} onClick={onClick}>
      {label}
      {active ? (ascending ? " \\u25b2" : " \\u25bc") : ""}
    </button>
  );
}

function ProductRow({ product, selected, onToggle }: { product: Product; selected: boolean; onToggle: (id: number) => void }) {
  return (
    <tr className={selected ? "selected" : undefined} onClick={() => onToggle(product.id)}>
      <td>{product.name}</td>
      <td>{CATEGORY_LABELS[product.category]}</td>
      <td className="number">{formatPrice(product.price)}</td>
      <td className={product.stock < 5 ? "low" : undefined}>{stockLabel(product.stock)}</td>
      <td title={product.rating + " of 5"}>{stars(product.rating)}</td>
    </tr>
  );
}

function Summary({ totals }: { totals: Totals }) {
  return (
    <dl className="summary">
      <dt>Products</dt>
      <dd>{totals.count}</dd>
      <dt>Units</dt>
      <dd>{totals.units}</dd>
      <dt>Stock value</dt>
      <dd>{formatPrice(totals.value)}</dd>
      <dt>Average rating</dt>
      <dd>{totals.averageRating.toFixed(1)}</dd>
    </dl>
  );
}

function Counter() {
  const [count, setCount] = useState(0);
  return (
    <div className="counter">
      <button type="button" onClick={() => setCount((c) => c - 1)}>
        -
      </button>
      <output>{count}</output>
      <button type="button" onClick={() => setCount((c) => c + 1)}>
        +
      </button>
    </div>
  );
}

export default function App() {
  const [query, setQuery] = useState("");
  const [category, setCategory] = useState<Category | "all">("all");
  const [sortKey, setSortKey] = useState<SortKey>("name");
  const [ascending, setAscending] = useState(true);
  const [selected, setSelected] = useState<number[]>([]);

  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return PRODUCTS.filter((p) => category === "all" || p.category === category)
      .filter((p) => !needle || p.name.toLowerCase().includes(needle))
      .sort(compareBy(sortKey, ascending));
  }, [query, category, sortKey, ascending]);

  const totals = useMemo(() => summarize(visible), [visible]);

  function sortBy(key: SortKey) {
    if (key === sortKey) setAscending(!ascending);
    else {
      setSortKey(key);
      setAscending(true);
    }
  }

  function toggle(id: number) {
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  }

  return (
    <main className="app">
      <Header title="Inventory" count={PRODUCTS.length} />
      <p id="${MARKER_ID}" className="status">{MARKER}</p>
      <Counter />
      <FilterBar query={query} category={category} onQuery={setQuery} onCategory={setCategory} />
      <table>
        <thead>
          <tr>
            <th><SortButton label="Name" active={sortKey === "name"} ascending={ascending} onClick={() => sortBy("name")} /></th>
            <th>Category</th>
            <th><SortButton label="Price" active={sortKey === "price"} ascending={ascending} onClick={() => sortBy("price")} /></th>
            <th><SortButton label="Stock" active={sortKey === "stock"} ascending={ascending} onClick={() => sortBy("stock")} /></th>
            <th><SortButton label="Rating" active={sortKey === "rating"} ascending={ascending} onClick={() => sortBy("rating")} /></th>
          </tr>
        </thead>
        <tbody>
          {visible.map((product) => (
            <ProductRow key={product.id} product={product} selected={selected.includes(product.id)} onToggle={toggle} />
          ))}
        </tbody>
      </table>
      <Summary totals={totals} />
      <p className="selection">{selected.length ? selected.length + " selected" : "Click a row to select it"}</p>
    </main>
  );
}
`;

/**
 * The component file (exactly APP_LINES lines, `export default function App`), the same on every call.
 * @example const { source, markerLine } = appSource(); // markerLine: 1-based line of `const MARKER = "edit:";`
 */
export function appSource() {
  const head = HEAD.split("\n");
  const tail = TAIL.split("\n");
  // TAIL ends with a newline, so its last element is "" (the file's final line break).
  const rows = APP_LINES - head.length - (tail.length - 1);
  const random = prng(20240501);
  const body = Array.from({ length: rows }, (_, i) => productRow(i + 1, random));
  const source = [...head, ...body, ...tail].join("\n");
  const markerLine = head.findIndex((line) => line.startsWith("const MARKER = ")) + 1;
  return { source, markerLine };
}

/** playground-elements' mount module: its TypeScript compiles TSX with the classic runtime and does not mount a default export. */
export const PLAYGROUND_MAIN = `import React from "react";
import { createRoot } from "react-dom/client";
import App from "./index.js";

createRoot(document.getElementById("root")!).render(<App />);
`;

export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Inventory</title></head>
  <body>
    <div id="root"></div>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`;
