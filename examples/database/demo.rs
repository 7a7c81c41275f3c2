//! The demo database: a small shop (customers, products, orders, order items; about 7,500
//! rows), generated from a fixed seed so that every run and every machine gets the same data,
//! and built once, on first use, where the operator will not trip over it.

use std::path::{Path, PathBuf};

use sqlx::{
    Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};

/// Where the demo lives unless `--demo-path` says otherwise: the system's temporary directory,
/// not the working directory.
pub fn default_path() -> PathBuf {
    std::env::temp_dir().join("mcp-database-example").join("demo-v1.sqlite3")
}

/// Builds the demo at `path` unless it exists; whether it was built now.
pub async fn ensure(path: &Path) -> Result<bool, String> {
    if path.exists() {
        return Ok(false);
    }
    let failed =
        |error: &dyn std::fmt::Display| format!("cannot create the demo database at `{}`: {error}", path.display());
    if let Some(directory) = path.parent().filter(|directory| !directory.as_os_str().is_empty()) {
        std::fs::create_dir_all(directory).map_err(|error| failed(&error))?;
    }
    // Built beside its final name and renamed into place, so that a server started meanwhile
    // (or one stopped halfway) never sees half a database.
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let building = path.with_file_name(format!(".{file_name}.{}.building", std::process::id()));
    let _ = std::fs::remove_file(&building);
    let built = build(&building).await;
    if let Err(error) = built {
        let _ = std::fs::remove_file(&building);
        return Err(failed(&error));
    }
    std::fs::rename(&building, path).map_err(|error| failed(&error))?;
    Ok(true)
}

/// Creates the schema and fills it, in one transaction, in a new file at `path`.
async fn build(path: &Path) -> Result<(), sqlx::Error> {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
    let mut connection = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(SCHEMA).execute(&mut connection).await?;
    let mut transaction = connection.begin().await?;
    let mut random = Random(0x5EED_CAFE_F00D_0001);

    for id in 1..=CUSTOMERS {
        let first = random.pick(FIRST_NAMES);
        let last = random.pick(LAST_NAMES);
        let (city, country) = random.pick(CITIES);
        let signed_up = random.moment(days_since_epoch(2022, 1, 1), 900);
        sqlx::query("INSERT INTO customers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind(id)
            .bind(format!("{first} {last}"))
            .bind(format!("{}.{}{id}@example.com", first.to_lowercase(), last.to_lowercase()))
            .bind(*country)
            .bind((random.below(10) != 0).then_some(*city))
            .bind(signed_up)
            .bind(i64::from(random.below(10) != 0))
            .execute(&mut *transaction)
            .await?;
    }

    let mut prices = Vec::with_capacity(PRODUCTS as usize);
    for id in 1..=PRODUCTS {
        let (category, nouns) = random.pick(CATEGORIES);
        let name = format!("{} {}", random.pick(ADJECTIVES), random.pick(nouns));
        let price = (random.below(15_000) + 199) as f64 / 100.0;
        prices.push(price);
        // Every fourth product has a small thumbnail, so that the data holds BLOBs and NULLs.
        let thumbnail = (id % 4 == 0).then(|| [&b"\x89PNG\r\n\x1a\n"[..], &id.to_be_bytes()[..]].concat());
        sqlx::query("INSERT INTO products VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind(id)
            .bind(format!("SKU-{id:05}"))
            .bind(name)
            .bind(*category)
            .bind(price)
            .bind(random.below(500) as i64)
            .bind(thumbnail)
            .execute(&mut *transaction)
            .await?;
    }

    for id in 1..=ORDERS {
        let ordered = random.below(700) as i64 * 86_400 + random.below(86_400) as i64;
        let ordered_at = days_since_epoch(2023, 1, 1) * 86_400 + ordered;
        let status = *random.pick(STATUSES);
        let shipped_at = matches!(status, "shipped" | "delivered")
            .then(|| timestamp(ordered_at + (1 + random.below(5) as i64) * 86_400 + random.below(36_000) as i64));
        let note = (random.below(12) == 0).then(|| *random.pick(NOTES));
        sqlx::query("INSERT INTO orders VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(id)
            .bind(1 + random.below(CUSTOMERS as u64) as i64)
            .bind(timestamp(ordered_at))
            .bind(status)
            .bind(shipped_at)
            .bind(note)
            .execute(&mut *transaction)
            .await?;
        let mut chosen: Vec<i64> = Vec::new();
        for _ in 0..1 + random.below(4) {
            let product = 1 + random.below(PRODUCTS as u64) as i64;
            if chosen.contains(&product) {
                continue;
            }
            chosen.push(product);
            let list_price = prices[(product - 1) as usize];
            // One line in ten is discounted by 10 %.
            let unit_price = if random.below(10) == 0 { (list_price * 90.0).round() / 100.0 } else { list_price };
            sqlx::query("INSERT INTO order_items VALUES (?1, ?2, ?3, ?4)")
                .bind(id)
                .bind(product)
                .bind(1 + random.below(5) as i64)
                .bind(unit_price)
                .execute(&mut *transaction)
                .await?;
        }
    }
    transaction.commit().await?;
    connection.close().await
}

/// How many rows of each kind; order items follow from the orders (one to four each).
const CUSTOMERS: i64 = 500;
const PRODUCTS: i64 = 120;
const ORDERS: i64 = 2_000;

/// The shop: four tables with keys, checks and references, two indexes and a view.
const SCHEMA: &str = "
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL,
    city TEXT,
    signed_up_at TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1))
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    price REAL NOT NULL CHECK (price > 0),
    stock INTEGER NOT NULL DEFAULT 0,
    thumbnail BLOB
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ordered_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    shipped_at TEXT,
    note TEXT
);
CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price REAL NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE INDEX order_items_by_product ON order_items (product_id);
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, o.customer_id, o.status, round(sum(i.quantity * i.unit_price), 2) AS total
    FROM orders o JOIN order_items i ON i.order_id = o.id
    GROUP BY o.id;
";

/// `YYYY-MM-DD HH:MM:SS`, the form SQLite's own date functions produce and compare.
fn timestamp(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Days from 1970-01-01 to a date of the demo's years.
fn days_since_epoch(year: i32, month: u32, day: u32) -> i64 {
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
    date.signed_duration_since(chrono::NaiveDate::default()).num_days()
}

/// SplitMix64: tiny, good enough for sample data, and the same on every platform and version
/// (a library generator may change its algorithm, and with it the demo).
struct Random(u64);

impl Random {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// One of `items`.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A timestamp within `days` days from the day `start` (days since 1970).
    fn moment(&mut self, start: i64, days: u64) -> String {
        timestamp((start + self.below(days) as i64) * 86_400 + self.below(86_400) as i64)
    }
}

/// The names, places and things the rows are made of.
const FIRST_NAMES: &[&str] = &[
    "Ada",
    "Alan",
    "Amara",
    "Bjorn",
    "Carmen",
    "Chen",
    "Dmitri",
    "Elena",
    "Fatima",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kofi",
    "Lea",
    "Lucia",
    "Mateo",
    "Mei",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Valentina",
    "Wei",
    "Yusuf",
    "Zoe",
];

const LAST_NAMES: &[&str] = &[
    "Andersen", "Banerjee", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kim",
    "Lopez", "Müller", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga",
    "Weber", "Xu", "Yilmaz", "Zhang",
];

const CITIES: &[(&str, &str)] = &[
    ("Paris", "France"),
    ("Lyon", "France"),
    ("Berlin", "Germany"),
    ("Munich", "Germany"),
    ("Madrid", "Spain"),
    ("Lisbon", "Portugal"),
    ("Rome", "Italy"),
    ("Milan", "Italy"),
    ("Amsterdam", "Netherlands"),
    ("Stockholm", "Sweden"),
    ("Warsaw", "Poland"),
    ("Toronto", "Canada"),
    ("Austin", "United States"),
    ("Seattle", "United States"),
    ("Tokyo", "Japan"),
    ("Lagos", "Nigeria"),
];

const CATEGORIES: &[(&str, &[&str])] = &[
    ("Books", &["Atlas", "Cookbook", "Novel", "Field Guide", "Notebook"]),
    ("Kitchen", &["Kettle", "Skillet", "Knife Set", "Teapot", "Cutting Board"]),
    ("Garden", &["Trowel", "Watering Can", "Planter", "Hose Reel", "Seed Kit"]),
    ("Electronics", &["Headphones", "Charger", "Speaker", "Keyboard", "Webcam"]),
    ("Outdoors", &["Tent", "Backpack", "Lantern", "Sleeping Bag", "Water Bottle"]),
    ("Toys", &["Puzzle", "Kite", "Building Set", "Board Game", "Yo-yo"]),
];

const ADJECTIVES: &[&str] =
    &["Classic", "Compact", "Deluxe", "Everyday", "Foldable", "Handmade", "Lightweight", "Rugged", "Smart", "Vintage"];

/// Weighted by repetition: most orders are delivered.
const STATUSES: &[&str] =
    &["delivered", "delivered", "delivered", "delivered", "shipped", "shipped", "paid", "pending", "cancelled"];

const NOTES: &[&str] =
    &["gift wrap, please", "leave at the door", "call before delivery", "fragile", "deliver after 5 pm"];
