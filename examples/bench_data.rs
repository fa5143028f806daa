//! Writes a large synthetic `sales.csv` for benchmarking `salesplan build` (`scripts/bench`):
//! any number of rows, in the columns and formats of the example's `data/sales.csv`, for the
//! business the example plan (`content/*.yaml`) describes.
//!
//! ```text
//! cargo run --release --example bench_data -- --rows N --out FILE [--seed S]
//! ```
//!
//! What it writes: the header plus exactly N rows, dated 2023-11-01 … 2026-10-31 in
//! ascending order and spread evenly over those three years (so the plan's fiscal 2026 with
//! `as_of` defaulting to the latest date, 2026-10-31, works). Cardinalities of a mid-sized
//! sales department: 200 products (the example's 23 first, so the plan's names match, then
//! variants such as `Longjing 250g (Batch 03)`), each in its example product line; the
//! example's 5 regions; 4 of its channels (Online Store, Retail Stores, Key Accounts,
//! Distributors — O2O Delivery is left out); 50 reps (team.yaml's 16 first, then synthetic
//! names), each with a home region; 20,000 customers (`C00001`… consumers, `K0001`… key
//! accounts), a third of the store sales anonymous; the partner column filled, and the
//! customer left empty, on distributor rows only, with the seven partners of channels.yaml.
//! Orders have 1–3 lines with distinct products sharing an order id; about 1 % of the lines
//! are returned 2–20 days later (`RT…` rows, negative quantity, amount and cost); about
//! 0.1 % of the lines are written twice in a row (exact duplicates, for the duplicate
//! check); 2 % of the lines have no cost. Money is held in integer cents: `amount` is
//! `quantity × unit_price` exactly and `cost` is below `amount` (in absolute value).
//! Gift Sets are 10 % off in the Spring Festival and Mid-Autumn windows of promotions.yaml,
//! in every channel, so the data shows no price conflicts; price changes follow the
//! example's price list.
//!
//! Why deterministic: the same `--rows` and `--seed` give a byte-identical file on every
//! machine. All randomness comes from a seeded xoshiro256** generator (one stream for the
//! catalogue and customers, one for the rows), every draw is integer arithmetic (the only
//! floats build the product lookup tables, with `+ * /` only), and no hash map is iterated.
//! It is fast (a few seconds for 10M rows): rows are formatted by hand into a reused buffer
//! and written through a 4 MiB `BufWriter`, products are drawn from 64K-entry lookup tables.

#[path = "common/days.rs"]
mod days;
#[path = "common/names.rs"]
mod names;
#[path = "common/rng.rs"]
mod rng;

use days::{civil_from_days, days_from_civil};
use names::{LINES, REGIONS};
use rng::Rng;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const DEFAULT_SEED: u64 = 1;
const HEADER: &str = "date,order_id,customer_id,product,product_line,region,channel,rep,partner,\
                      quantity,unit_price,amount,cost\n";
const FIRST_DAY: (i64, u32, u32) = (2023, 11, 1);
const LAST_DAY: (i64, u32, u32) = (2026, 10, 31);

// ---------------------------------------------------------------------------------------
// The business (names as the example plan spells them)
// ---------------------------------------------------------------------------------------

const CHANNELS: [&str; 4] = [
    "Online Store",
    "Retail Stores",
    "Key Accounts",
    "Distributors",
];
const ONLINE: usize = 0;
const RETAIL: usize = 1;
const KEY_ACCOUNTS: usize = 2;
const DISTRIBUTORS: usize = 3;
/// Share of orders per channel (the example's row mix without O2O, over lines per order).
const CHANNEL_ORDERS: [u64; 4] = [45, 35, 13, 7];
/// Percent of orders with 1, 2 and 3 lines.
const CHANNEL_LINES: [[u64; 3]; 4] = [[66, 26, 8], [68, 25, 7], [35, 40, 25], [25, 40, 35]];
/// Per mille of retail orders without a customer id (walk-ins).
const RETAIL_ANONYMOUS: u64 = 350;
/// Per mille of lines returned later.
const CHANNEL_RETURNS: [u64; 4] = [24, 8, 5, 3];
/// Per mille of lines written twice (exact duplicates) and of lines without a cost.
const DUPLICATES: u64 = 1;
const NO_COST: u64 = 20;
/// Product-line mix of each channel (the example's, in LINES order).
const CHANNEL_LINE_MIX: [[f64; 7]; 4] = [
    [28.0, 18.0, 14.0, 14.0, 9.0, 10.0, 7.0],
    [28.0, 20.0, 14.0, 8.0, 6.0, 13.0, 11.0],
    [20.0, 14.0, 11.0, 15.0, 16.0, 16.0, 0.5],
    [26.0, 18.0, 14.0, 14.0, 16.0, 9.0, 0.5],
];

const REGION_WEIGHT: [u64; 5] = [34, 24, 19, 13, 10];

const GIFT_SETS: usize = 5;

/// A base product of the example: name, line, price list `(from, yuan)`, unit cost in
/// percent of the first price, demand weight within its line, launch date.
type Base = (
    &'static str,
    usize,
    &'static [((i64, u32, u32), i64)],
    i64,
    f64,
    (i64, u32, u32),
);
const EPOCH: (i64, u32, u32) = (2000, 1, 1);
#[rustfmt::skip]
const BASE_PRODUCTS: [Base; 23] = [
    ("Longjing 250g", 0, &[(EPOCH, 588), ((2024, 3, 1), 628), ((2026, 3, 1), 668)], 46, 1.4, EPOCH),
    ("Biluochun 250g", 0, &[(EPOCH, 428), ((2025, 3, 1), 458)], 44, 1.0, EPOCH),
    ("Maofeng 250g", 0, &[(EPOCH, 358)], 43, 0.8, EPOCH),
    ("Anji Baicha 125g", 0, &[(EPOCH, 298), ((2024, 3, 1), 318)], 45, 0.7, EPOCH),
    ("Tieguanyin 250g", 1, &[(EPOCH, 318)], 42, 1.2, EPOCH),
    ("Da Hong Pao 200g", 1, &[(EPOCH, 498), ((2025, 9, 1), 528)], 45, 1.0, EPOCH),
    ("Keemun 250g", 1, &[(EPOCH, 268)], 40, 0.8, EPOCH),
    ("Dianhong 250g", 1, &[(EPOCH, 238)], 40, 0.7, EPOCH),
    ("Pu'er Cake 357g", 2, &[(EPOCH, 398), ((2025, 1, 1), 428)], 38, 1.2, EPOCH),
    ("White Peony 300g", 2, &[(EPOCH, 358), ((2025, 1, 1), 388)], 40, 1.0, EPOCH),
    ("Shou Mei Cake 350g", 2, &[(EPOCH, 228)], 40, 0.8, EPOCH),
    ("Jasmine Bags 50ct", 3, &[(EPOCH, 69), ((2025, 1, 1), 75)], 36, 1.2, EPOCH),
    ("Oolong Bags 50ct", 3, &[(EPOCH, 79), ((2025, 1, 1), 85)], 36, 1.0, EPOCH),
    ("Breakfast Bags 100ct", 3, &[(EPOCH, 99)], 35, 0.8, EPOCH),
    ("Cold Brew Green 12x500ml", 4, &[(EPOCH, 96)], 48, 1.2, EPOCH),
    ("Oolong Zero 12x500ml", 4, &[(EPOCH, 90)], 48, 1.0, EPOCH),
    ("Jasmine Sparkling 24x330ml", 4, &[(EPOCH, 144)], 50, 1.1, (2025, 5, 1)),
    ("Spring Gift Box", 5, &[(EPOCH, 888)], 50, 1.2, EPOCH),
    ("Mid-Autumn Gift Box", 5, &[(EPOCH, 1288), ((2025, 8, 1), 1388)], 52, 1.0, EPOCH),
    ("Heritage Gift Box", 5, &[(EPOCH, 1888)], 48, 0.6, EPOCH),
    ("Gaiwan Set", 6, &[(EPOCH, 398), ((2025, 7, 1), 358)], 55, 1.0, EPOCH),
    ("Travel Tea Set", 6, &[(EPOCH, 268)], 55, 0.9, EPOCH),
    ("Glass Teapot", 6, &[(EPOCH, 158)], 52, 0.8, EPOCH),
];
const PRODUCTS: usize = 200;

/// Gift Sets discount windows (promotions.yaml: Spring Festival day −29 … −4, Mid-Autumn
/// day −25 … −1), as (festival, first offset, last offset).
const GIFT_PROMOS: [((i64, u32, u32), i64, i64); 6] = [
    ((2024, 2, 10), -29, -4),
    ((2025, 1, 29), -29, -4),
    ((2026, 2, 17), -29, -4),
    ((2024, 9, 17), -25, -1),
    ((2025, 10, 6), -25, -1),
    ((2026, 9, 25), -25, -1),
];

/// team.yaml's reps first, then synthetic ones (to 50, roughly in proportion to the
/// regions), each with a home region (index into REGIONS).
#[rustfmt::skip]
const REPS: [(&str, usize); 50] = [
    ("Zhang Wei", 0), ("Chen Jing", 0), ("Wang Fang", 0), ("Xu Ming", 0), ("Lin Xiao", 0),
    ("Huang Lei", 1), ("Liang Mei", 1), ("Guo Qiang", 1), ("Zheng Hui", 1),
    ("Li Na", 2), ("Zhao Gang", 2), ("Sun Yan", 2),
    ("Hu Bin", 3), ("Deng Li", 3),
    ("Yang Tao", 4), ("He Yu", 4),
    ("Ma Jun", 0), ("Luo Ping", 0), ("Xie Wen", 0), ("Han Bo", 0), ("Cao Yi", 0), ("Peng Fei", 0),
    ("Zeng Rui", 0), ("Xiao Hong", 0), ("Tian Lu", 0), ("Dong Kai", 0), ("Pan Yue", 0), ("Yuan Hao", 0),
    ("Cai Ning", 1), ("Jiang Tao", 1), ("Du Juan", 1), ("Ye Qing", 1), ("Cheng Hao", 1), ("Wei Lan", 1),
    ("Su Min", 1), ("Lu Yao", 1),
    ("Ding Bo", 2), ("Ren Jie", 2), ("Shen Yi", 2), ("Yao Lin", 2), ("Fan Hui", 2), ("Jin Song", 2),
    ("Qiu Ying", 2),
    ("Bai Xue", 3), ("Kong Wei", 3), ("Cui Hao", 3), ("Mo Xin", 3),
    ("Xiong Fei", 4), ("Lei Ming", 4), ("Hou Jing", 4),
];
/// A rep who took over accounts: (new rep, previous rep, first day of the new rep).
/// team.yaml: Lin Xiao joined on 1 April 2026 and took over part of Wang Fang's accounts.
const HANDOVERS: [(&str, &str, (i64, u32, u32)); 1] = [("Lin Xiao", "Wang Fang", (2026, 4, 1))];

/// channels.yaml's partners: name, territory (region), order weight, account rep.
#[rustfmt::skip]
const PARTNERS: [(&str, usize, u64, &str); 7] = [
    ("Mingxiang Trading", 0, 22, "Xu Ming"),
    ("Haipai Foods", 0, 16, "Chen Jing"),
    ("Lingnan Tea Supply", 1, 20, "Guo Qiang"),
    ("Pengcheng Trading", 1, 9, "Zheng Hui"),
    ("Jingcha Distribution", 2, 17, "Zhao Gang"),
    ("Jiangcheng Trading", 3, 9, "Deng Li"),
    ("Bashu Tea Supply", 4, 7, "Yang Tao"),
];

/// Consumers (`C00001`…) and key accounts (`K0001`…): 20,000 customers.
const CONSUMERS: u32 = 18_500;
const KEY_ACCOUNT_IDS: u32 = 1_500;

// ---------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------

struct Product {
    /// `name,line` as written.
    text: Vec<u8>,
    line: usize,
    /// Price list: (first day index, cents), ascending.
    prices: Vec<(i64, i64)>,
    unit_cost: i64,
    /// First day index on sale.
    launch: i64,
}

impl Product {
    fn price(&self, day: i64, gift_promo: bool) -> i64 {
        let list = self
            .prices
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .map_or(self.prices[0].1, |p| p.1);
        if gift_promo && self.line == GIFT_SETS {
            list * 9 / 10 // whole yuan, so exact to the cent
        } else {
            list
        }
    }
}

struct Business {
    products: Vec<Product>,
    /// Per channel: 65,536 product indexes, each product as often as its share of demand.
    product_table: Vec<Vec<u8>>,
    /// Per customer: (region, rep).
    customers: Vec<(u8, u8)>,
    reps_by_region: Vec<Vec<u8>>,
    partner_reps: Vec<u8>,
    /// Per rep: (day index the rep starts, rep who serves the accounts before).
    handover: Vec<Option<(i64, u8)>>,
    /// Per day index: Gift Sets discounted.
    gift_promo: Vec<bool>,
    dates: Vec<[u8; 10]>,
}

fn rep_index(name: &str) -> u8 {
    REPS.iter()
        .position(|r| r.0 == name)
        .unwrap_or_else(|| panic!("rep `{name}` is not in REPS")) as u8
}

impl Business {
    fn new(seed: u64) -> Business {
        let mut rng = Rng::new(seed, 1);
        let start = days_from_civil(FIRST_DAY);
        let end = days_from_civil(LAST_DAY);
        let day_index = |d: (i64, u32, u32)| days_from_civil(d) - start;
        for (i, a) in REPS.iter().enumerate() {
            assert!(
                REPS[..i].iter().all(|b| b.0 != a.0),
                "duplicate rep {}",
                a.0
            );
        }

        let products: Vec<Product> = (0..PRODUCTS)
            .map(|i| {
                let (name, line, prices, cost_pct, _, launch) = BASE_PRODUCTS[i % 23];
                let batch = i / 23;
                let (text, pct, cost_pct) = if batch == 0 {
                    (format!("{name},{}", LINES[line]), 100, cost_pct)
                } else {
                    let pct = rng.between(85, 115);
                    let cost = cost_pct + rng.between(-3, 3);
                    (
                        format!("{name} (Batch {batch:02}),{}", LINES[line]),
                        pct,
                        cost,
                    )
                };
                let prices: Vec<(i64, i64)> = prices
                    .iter()
                    .map(|(from, yuan)| (day_index(*from), (yuan * pct / 100).max(1) * 100))
                    .collect();
                Product {
                    text: text.into_bytes(),
                    line,
                    unit_cost: prices[0].1 * cost_pct / 100,
                    prices,
                    launch: day_index(launch),
                }
            })
            .collect();

        let product_table = (0..CHANNELS.len())
            .map(|c| {
                let mut line_weight = [0.0; 7];
                for i in 0..PRODUCTS {
                    let b = &BASE_PRODUCTS[i % 23];
                    line_weight[b.1] += b.4 / (1 + i / 23) as f64;
                }
                let weights: Vec<f64> = (0..PRODUCTS)
                    .map(|i| {
                        let b = &BASE_PRODUCTS[i % 23];
                        CHANNEL_LINE_MIX[c][b.1] * b.4 / (1 + i / 23) as f64 / line_weight[b.1]
                    })
                    .collect();
                let total: f64 = weights.iter().sum();
                let mut table = Vec::with_capacity(1 << 16);
                let (mut p, mut cum) = (0, weights[0]);
                for j in 0..1u32 << 16 {
                    let x = (f64::from(j) + 0.5) / 65_536.0 * total;
                    while x >= cum && p + 1 < PRODUCTS {
                        p += 1;
                        cum += weights[p];
                    }
                    table.push(p as u8);
                }
                table
            })
            .collect();

        let mut reps_by_region = vec![Vec::new(); REGIONS.len()];
        for (i, (_, region)) in REPS.iter().enumerate() {
            reps_by_region[*region].push(i as u8);
        }
        let customers = (0..CONSUMERS + KEY_ACCOUNT_IDS)
            .map(|_| {
                let region = rng.weighted(&REGION_WEIGHT);
                let reps = &reps_by_region[region];
                (region as u8, reps[rng.below(reps.len() as u64) as usize])
            })
            .collect();

        let mut handover = vec![None; REPS.len()];
        for (new, old, from) in HANDOVERS {
            handover[rep_index(new) as usize] = Some((day_index(from), rep_index(old)));
        }

        let days = (end - start + 1) as usize;
        let mut gift_promo = vec![false; days];
        for (festival, from, to) in GIFT_PROMOS {
            let f = day_index(festival);
            for d in (f + from).max(0)..=(f + to).min(days as i64 - 1) {
                gift_promo[d as usize] = true;
            }
        }
        let dates = (start..=end)
            .map(|d| {
                let (y, m, dd) = civil_from_days(d);
                let mut b = [b'0'; 10];
                let text = format!("{y:04}-{m:02}-{dd:02}");
                b.copy_from_slice(text.as_bytes());
                b
            })
            .collect();

        Business {
            products,
            product_table,
            customers,
            reps_by_region,
            partner_reps: PARTNERS.iter().map(|p| rep_index(p.3)).collect(),
            handover,
            gift_promo,
            dates,
        }
    }

    fn rep_on(&self, rep: u8, day: i64) -> u8 {
        match self.handover[rep as usize] {
            Some((from, old)) if day < from => old,
            _ => rep,
        }
    }
}

/// One order line or return, as written.
#[derive(Clone, Copy)]
struct Line {
    customer: Option<u32>,
    product: u8,
    region: u8,
    channel: u8,
    rep: u8,
    partner: Option<u8>,
    quantity: i64,
    unit_price: i64,
    unit_cost: Option<i64>,
}

#[derive(Default)]
struct Counts {
    orders: u64,
    returns: u64,
    duplicates: u64,
    anonymous: u64,
}

struct Writer<W: Write> {
    out: W,
    row: Vec<u8>,
    rows: u64,
    bytes: u64,
}

impl<W: Write> Writer<W> {
    fn line(
        &mut self,
        biz: &Business,
        day: usize,
        prefix: &[u8],
        id: u64,
        l: &Line,
    ) -> io::Result<()> {
        let r = &mut self.row;
        r.clear();
        r.extend_from_slice(&biz.dates[day]);
        r.push(b',');
        r.extend_from_slice(prefix);
        push_padded(r, id, 7);
        r.push(b',');
        match l.customer {
            Some(c) if c < CONSUMERS => {
                r.push(b'C');
                push_padded(r, u64::from(c) + 1, 5);
            }
            Some(c) => {
                r.push(b'K');
                push_padded(r, u64::from(c - CONSUMERS) + 1, 4);
            }
            None => {}
        }
        r.push(b',');
        r.extend_from_slice(&biz.products[l.product as usize].text);
        r.push(b',');
        r.extend_from_slice(REGIONS[l.region as usize].as_bytes());
        r.push(b',');
        r.extend_from_slice(CHANNELS[l.channel as usize].as_bytes());
        r.push(b',');
        r.extend_from_slice(REPS[l.rep as usize].0.as_bytes());
        r.push(b',');
        if let Some(p) = l.partner {
            r.extend_from_slice(PARTNERS[p as usize].0.as_bytes());
        }
        r.push(b',');
        push_int(r, l.quantity);
        r.push(b',');
        push_money(r, l.unit_price);
        r.push(b',');
        push_money(r, l.quantity * l.unit_price);
        r.push(b',');
        if let Some(c) = l.unit_cost {
            push_money(r, l.quantity * c);
        }
        r.push(b'\n');
        self.repeat()
    }

    /// Writes the row in the buffer (again).
    fn repeat(&mut self) -> io::Result<()> {
        self.out.write_all(&self.row)?;
        self.rows += 1;
        self.bytes += self.row.len() as u64;
        Ok(())
    }
}

/// Returns waiting for their day, in a ring of 32 days (returns come 2–20 days later).
const RING: usize = 32;

fn write_sales<W: Write>(
    biz: &Business,
    seed: u64,
    rows: u64,
    out: W,
) -> io::Result<(Counts, u64, W)> {
    let mut rng = Rng::new(seed, 2);
    let mut w = Writer {
        out,
        row: Vec::with_capacity(256),
        rows: 0,
        bytes: 0,
    };
    w.out.write_all(HEADER.as_bytes())?;
    let mut n = Counts::default();
    let days = biz.dates.len() as u64;
    let mut pending: Vec<Vec<Line>> = (0..RING).map(|_| Vec::new()).collect();
    let mut day = 0usize;
    let mut chosen = [0u8; 3];
    let partner_weights = PARTNERS.map(|p| p.2);
    while w.rows < rows {
        // The day of the next order: rows spread evenly; the last order on the last day.
        let left = rows - w.rows;
        let target = if left <= 3 {
            days - 1
        } else {
            (u128::from(w.rows) * u128::from(days) / u128::from(rows)) as u64
        } as usize;
        while day < target && w.rows < rows {
            day += 1;
            let due = std::mem::take(&mut pending[day % RING]);
            for l in &due {
                if w.rows == rows {
                    break;
                }
                n.returns += 1;
                w.line(biz, day, b"RT", n.returns, l)?;
            }
        }
        if w.rows == rows {
            break;
        }

        let channel = rng.weighted(&CHANNEL_ORDERS);
        let (customer, region, rep, partner) = match channel {
            ONLINE | RETAIL | KEY_ACCOUNTS => {
                if channel == RETAIL && rng.below(1000) < RETAIL_ANONYMOUS {
                    let region = rng.weighted(&REGION_WEIGHT);
                    let reps = &biz.reps_by_region[region];
                    let rep = reps[rng.below(reps.len() as u64) as usize];
                    (None, region as u8, rep, None)
                } else {
                    let c = if channel == KEY_ACCOUNTS {
                        CONSUMERS + rng.skewed(KEY_ACCOUNT_IDS)
                    } else {
                        rng.skewed(CONSUMERS)
                    };
                    let (region, rep) = biz.customers[c as usize];
                    (Some(c), region, rep, None)
                }
            }
            _ => {
                let p = rng.weighted(&partner_weights);
                (
                    None,
                    PARTNERS[p].1 as u8,
                    biz.partner_reps[p],
                    Some(p as u8),
                )
            }
        };
        if customer.is_none() {
            n.anonymous += 1;
        }
        let rep = biz.rep_on(rep, day as i64);
        let wanted = (rng.weighted(&CHANNEL_LINES[channel]) + 1).min(left as usize);
        let mut count = 0;
        for _ in 0..wanted * 16 {
            if count == wanted {
                break;
            }
            let p = biz.product_table[channel][(rng.next_u64() >> 48) as usize];
            if biz.products[p as usize].launch <= day as i64 && !chosen[..count].contains(&p) {
                chosen[count] = p;
                count += 1;
            }
        }
        n.orders += 1;
        let order = n.orders;
        for &p in &chosen[..count] {
            if w.rows == rows {
                break;
            }
            let product = &biz.products[p as usize];
            let quantity = match channel {
                KEY_ACCOUNTS => rng.between(2, 24),
                DISTRIBUTORS => rng.between(6, 60),
                _ => [1, 1, 1, 1, 1, 1, 2, 2, 2, 3][rng.below(10) as usize],
            };
            let line = Line {
                customer,
                product: p,
                region,
                channel: channel as u8,
                rep,
                partner,
                quantity,
                unit_price: product.price(day as i64, biz.gift_promo[day]),
                unit_cost: (rng.below(1000) >= NO_COST).then_some(product.unit_cost),
            };
            w.line(biz, day, b"SO", order, &line)?;
            if w.rows < rows && rng.below(1000) < DUPLICATES {
                n.duplicates += 1;
                w.repeat()?;
            }
            if rng.below(1000) < CHANNEL_RETURNS[channel] {
                let when = day + rng.between(2, 20) as usize;
                if when < days as usize {
                    pending[when % RING].push(Line {
                        quantity: -rng.between(1, quantity.min(3)),
                        ..line
                    });
                }
            }
        }
    }
    Ok((n, w.bytes + HEADER.len() as u64, w.out))
}

// ---------------------------------------------------------------------------------------
// Shapes: the same business, written the way other exports are
// ---------------------------------------------------------------------------------------

/// How the rows are written, beyond the defaults (the example's 13 columns, one file,
/// rows in date order, 50 reps, 20,000 customers, the example's product lines).
#[derive(Default, Clone, Copy)]
struct Shape {
    /// Rows in a random order (seeded), as merged or customer-sorted exports come.
    shuffle: bool,
    /// Eight columns: date, product, region, channel, rep, quantity, unit_price, amount
    /// (no order, customer, product line, partner or cost; a plan maps `product_line:
    /// product`, so every product is its own line).
    narrow: bool,
    product_lines: Option<ProductLines>,
    /// Rows spread over this many reps (`Rep 0001` …) instead of the 50 named ones.
    reps: Option<u64>,
    /// Customer ids spread over this many customers instead of 20,000.
    customers: Option<u64>,
    /// One file per calendar month, `OUT/sales-YYYY-MM.csv` (36 files over three years).
    monthly_files: bool,
}

#[derive(Clone, Copy)]
enum ProductLines {
    /// Five lines (`Line 1` … `Line 5`), by product.
    Five,
    /// Every product its own line (200).
    OnePerProduct,
    /// Ten lines per product (2,000): the product's name and a per-row suffix `· 0`…`· 9`,
    /// so the combinations are those of 2,000 lines.
    TenPerProduct,
}

impl Shape {
    fn is_plain(&self) -> bool {
        !self.shuffle
            && !self.narrow
            && !self.monthly_files
            && self.product_lines.is_none()
            && self.reps.is_none()
            && self.customers.is_none()
    }
}

/// A deterministic 64-bit hash of some bytes (FNV-1a, then a finaliser).
fn mix(bytes: &[u8], salt: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ salt;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Receives the generator's rows (one `write_all` each, the header first), rewrites each
/// into the shape, and writes them out: straight away, or per file and shuffled at the
/// end.
struct Shaper {
    shape: Shape,
    out: PathBuf,
    seed: u64,
    /// Bytes received that do not yet end a row.
    partial: Vec<u8>,
    header_seen: bool,
    /// Per output file (key "" for one file): its rows as written, and where each starts.
    files: Vec<(String, Vec<u8>, Vec<u32>)>,
    row: Vec<u8>,
}

const NARROW_HEADER: &str = "date,product,region,channel,rep,quantity,unit_price,amount\n";

impl Shaper {
    fn new(shape: Shape, out: PathBuf, seed: u64) -> Self {
        Shaper {
            shape,
            out,
            seed,
            partial: Vec::new(),
            header_seen: false,
            files: Vec::new(),
            row: Vec::with_capacity(256),
        }
    }

    fn header(&self) -> &'static str {
        if self.shape.narrow {
            NARROW_HEADER
        } else {
            HEADER
        }
    }

    /// One generated row (without its newline) in the shape.
    fn shape_row(&mut self, line: &[u8]) {
        let f: Vec<&[u8]> = line.split(|&b| b == b',').collect();
        assert_eq!(f.len(), 13, "the generator writes 13 unquoted fields");
        let order = f[1];
        let r = &mut self.row;
        r.clear();
        let mut rep = f[7].to_vec();
        if let Some(n) = self.shape.reps {
            rep.clear();
            rep.extend_from_slice(b"Rep ");
            push_padded(
                &mut rep,
                mix(f[7], 1).wrapping_add(mix(order, 2)) % n + 1,
                4,
            );
        }
        if self.shape.narrow {
            for (i, field) in [f[0], f[3], f[5], f[6], &rep, f[9], f[10], f[11]]
                .iter()
                .enumerate()
            {
                if i > 0 {
                    r.push(b',');
                }
                r.extend_from_slice(field);
            }
            return;
        }
        let mut customer = f[2].to_vec();
        if let (Some(n), false) = (self.shape.customers, f[2].is_empty()) {
            customer.clear();
            customer.push(b'C');
            push_padded(
                &mut customer,
                mix(f[2], 3).wrapping_add(mix(order, 4)) % n + 1,
                7,
            );
        }
        let mut product_line = f[4].to_vec();
        match self.shape.product_lines {
            None => {}
            Some(ProductLines::Five) => {
                product_line.clear();
                product_line.extend_from_slice(b"Line ");
                push_int(&mut product_line, (mix(f[3], 5) % 5 + 1) as i64);
            }
            Some(ProductLines::OnePerProduct) => product_line = f[3].to_vec(),
            Some(ProductLines::TenPerProduct) => {
                product_line = f[3].to_vec();
                product_line.extend_from_slice(" · ".as_bytes());
                push_int(&mut product_line, (mix(order, 6) % 10) as i64);
            }
        }
        let fields: [&[u8]; 13] = [
            f[0],
            f[1],
            &customer,
            f[3],
            &product_line,
            f[5],
            f[6],
            &rep,
            f[8],
            f[9],
            f[10],
            f[11],
            f[12],
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                r.push(b',');
            }
            r.extend_from_slice(field);
        }
    }

    fn take_row(&mut self, line: &[u8]) {
        if !self.header_seen {
            self.header_seen = true;
            return;
        }
        self.shape_row(line);
        let key = if self.shape.monthly_files {
            String::from_utf8_lossy(&line[..7]).into_owned()
        } else {
            String::new()
        };
        if self.files.last().is_none_or(|(k, _, _)| *k != key) {
            self.files.push((key, Vec::new(), Vec::new()));
        }
        let (_, bytes, starts) = self.files.last_mut().expect("just pushed");
        starts.push(bytes.len() as u32);
        bytes.extend_from_slice(&self.row);
        bytes.push(b'\n');
    }

    /// Writes every file (rows shuffled if asked); returns the bytes written.
    fn finish(mut self) -> io::Result<u64> {
        if self.shape.monthly_files {
            fs::create_dir_all(&self.out)?;
        } else if let Some(dir) = self.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let mut rng = Rng::new(self.seed, 3);
        let mut total = 0;
        let header = self.header();
        for (key, bytes, mut starts) in std::mem::take(&mut self.files) {
            if self.shape.shuffle {
                for i in (1..starts.len()).rev() {
                    starts.swap(i, rng.below(i as u64 + 1) as usize);
                }
            }
            let path = if self.shape.monthly_files {
                self.out.join(format!("sales-{key}.csv"))
            } else {
                self.out.clone()
            };
            let mut file = BufWriter::with_capacity(4 << 20, File::create(path)?);
            file.write_all(header.as_bytes())?;
            total += header.len() as u64;
            for &start in &starts {
                let start = start as usize;
                let end = start + bytes[start..].iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
                file.write_all(&bytes[start..end])?;
                total += (end - start) as u64;
            }
            file.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(total)
    }
}

impl Write for Shaper {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.partial.extend_from_slice(buf);
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            self.take_row(&line[..line.len() - 1]);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------

fn push_padded(buf: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while v > 0 || digits.len() - i < width {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    buf.extend_from_slice(&digits[i..]);
}

fn push_int(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_padded(buf, v.unsigned_abs(), 1);
}

/// Cents as `-12.34`.
fn push_money(buf: &mut Vec<u8>, cents: i64) {
    if cents < 0 {
        buf.push(b'-');
    }
    let a = cents.unsigned_abs();
    push_padded(buf, a / 100, 1);
    buf.push(b'.');
    push_padded(buf, a % 100, 2);
}

// ---------------------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded through splitmix64
// ---------------------------------------------------------------------------------------

impl Rng {
    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// In 0..n, low values more often (density ∝ 1/√x: a few customers buy a lot).
    fn skewed(&mut self, n: u32) -> u32 {
        let u = self.next_u64() >> 32;
        ((((u * u) >> 32) * u64::from(n)) >> 32) as u32
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut r = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        unreachable!("r is below the sum of the weights")
    }
}

// ---------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------

const USAGE: &str = "usage: bench_data --rows N --out PATH [--seed S] [--shuffle] [--narrow] \
                     [--product-lines 5|200|2000] [--reps N] [--customers N] [--monthly-files]";

fn parse_args() -> Result<(u64, PathBuf, u64, Shape), String> {
    let (mut rows, mut out, mut seed) = (None, None, DEFAULT_SEED);
    let mut shape = Shape::default();
    let mut it = std::env::args().skip(1);
    let number = |flag: &str, v: Option<String>| -> Result<u64, String> {
        let v = v.ok_or(format!("{flag} needs a number"))?;
        v.replace('_', "")
            .parse()
            .map_err(|_| format!("{flag}: not a number: {v}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rows" => rows = Some(number("--rows", it.next())?),
            "--seed" => seed = number("--seed", it.next())?,
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a file")?)),
            "--shuffle" => shape.shuffle = true,
            "--narrow" => shape.narrow = true,
            "--monthly-files" => shape.monthly_files = true,
            "--product-lines" => {
                shape.product_lines = match number("--product-lines", it.next())? {
                    5 => Some(ProductLines::Five),
                    200 => Some(ProductLines::OnePerProduct),
                    2000 => Some(ProductLines::TenPerProduct),
                    n => return Err(format!("--product-lines: 5, 200 or 2000, not {n}")),
                }
            }
            "--reps" => shape.reps = Some(number("--reps", it.next())?.max(1)),
            "--customers" => shape.customers = Some(number("--customers", it.next())?.max(1)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument: {other}\n{USAGE}")),
        }
    }
    match (rows, out) {
        (Some(rows), Some(out)) => Ok((rows, out, seed, shape)),
        _ => Err(format!("--rows and --out are required\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    let (rows, out, seed, shape) = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let result = (|| -> io::Result<(Counts, u64)> {
        if shape.is_plain() {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir)?;
            }
            let file = BufWriter::with_capacity(4 << 20, File::create(&out)?);
            let (counts, bytes, file) = write_sales(&Business::new(seed), seed, rows, file)?;
            file.into_inner().map_err(|e| e.into_error())?;
            return Ok((counts, bytes));
        }
        let sink = Shaper::new(shape, out.clone(), seed);
        let (counts, _, sink) = write_sales(&Business::new(seed), seed, rows, sink)?;
        let bytes = sink.finish()?;
        Ok((counts, bytes))
    })();
    match result {
        Ok((n, bytes)) => {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "{}: {rows} rows ({} orders, {} returns, {} duplicates, {} orders without a customer), \
                 {:.1} MB in {secs:.2} s ({:.1} M rows/s)",
                out.display(),
                n.orders,
                n.returns,
                n.duplicates,
                n.anonymous,
                bytes as f64 / 1e6,
                rows as f64 / secs.max(1e-9) / 1e6,
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
