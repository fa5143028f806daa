//! Writes the datasets of the example plan: `sales.csv`, `traffic.csv`, `surveys.csv` and
//! `complaints.csv` for Yunwu Tea Co., a premium tea brand selling in five regions through
//! an online store, its own retail stores, key accounts, distributors and O2O delivery.
//!
//! ```text
//! cargo run --release --example generate_data -- [--out DIR] [--seed N] [--lang en|zh-CN]
//! ```
//!
//! The output is deterministic: the same seed gives byte-identical files on every machine.
//! All randomness comes from a seeded xoshiro256** generator (one independent stream per
//! file), no hash map is ever iterated, and the arithmetic uses only `+ - * /` (no libm
//! functions such as `exp` or `powf`, whose last bit may differ between platforms). Money
//! is held in integer ten-thousandths of a yuan, so amounts are written exactly.
//!
//! `--lang en` (the default) writes `data/` of the English example plan. `--lang zh-CN`
//! writes `samples/zh-CN/data/` of the Chinese sample plan (云雾茶业有限公司): the same
//! business from the same seed — every order, amount, customer and complaint is the one the
//! English files hold — told with Chinese names and written the way a Chinese sales
//! department's Excel exports look:
//!
//! - Chinese header rows (`日期,订单号,…`), which `content/plan.yaml` maps with `columns:`;
//! - `sales.csv` in GBK (what Excel's "CSV (逗号分隔)" writes on a Chinese Windows), the
//!   other files in UTF-8 with a byte-order mark ("CSV UTF-8"); CRLF line ends throughout;
//! - dates as Excel shows them, `2025/1/5` (complaint timestamps stay `2025-01-05 09:03`,
//!   as the service system exports them), and money in Excel's General format (`138`,
//!   `1699.2`, `22.368`: no trailing zeros);
//! - a shorter history, 2024-11-01 to 2026-10-31, to keep the repository small (under
//!   2 MB): the business is simulated from 2023 exactly as for English and only rows dated
//!   from 2024-11-01 on are written (order and complaint ids keep their numbers, and a
//!   return in early November 2024 may belong to an October order that is not in the file).
//!
//! The GBK encoder is a table of exactly the characters the Chinese names use ([`GBK`]);
//! a name with a character missing from it is an error, not a wrong byte. To add one,
//! take its two bytes from `python3 -c "print('字'.encode('gbk').hex())"`.
//!
//! Everything that sets the size of the output lives in [`Scale`]; the shape of the
//! business (catalogue, seasonality, promotions, roster, partners) is in the tables below;
//! the names and formats the files use, per language, are in [`Lang`].

#[path = "common/days.rs"]
mod days;
#[path = "common/names.rs"]
mod names;
#[path = "common/rng.rs"]
mod rng;

use days::{civil_from_days, days_from_civil};
use names::{LINES, REGIONS};
use rng::Rng;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The seed of the committed example data. The business tables set the trend; the seed only
/// picks one realisation of the noise, this one because its 2024 and 2025 growth (+13 %, +14 %)
/// and its 2026 year-to-date growth (+10 %) tell the story the plan's narrative tells.
const DEFAULT_SEED: u64 = 3;

// ---------------------------------------------------------------------------------------
// Scale
// ---------------------------------------------------------------------------------------

/// How much data to write. `Scale::demo()` is the committed example plan.
#[derive(Clone, Debug)]
struct Scale {
    /// First and last day of sales.
    start: Day,
    end: Day,
    /// First day written to the files; earlier days are simulated but not written.
    written_from: Day,
    /// Multiplies every channel's order rate (≈ rows per day / 27).
    volume: f64,
    /// Catalogue size; the first 23 are the named base products, the rest are variants.
    products: usize,
    /// Consumer accounts (online, store and O2O members).
    customers: usize,
    /// Business customers served directly by the reps.
    key_accounts: usize,
    /// Sales reps; 16 gives the named demo roster, other values a synthetic one.
    reps: usize,
    /// First day of survey responses and complaints, and their daily rates.
    feedback_start: Day,
    surveys_per_day: f64,
    complaints_per_day: f64,
}

impl Scale {
    fn demo() -> Scale {
        Scale {
            start: Day::ymd(2023, 1, 1),
            end: Day::ymd(2026, 10, 31),
            written_from: Day::ymd(2023, 1, 1),
            volume: 1.0,
            products: BASE_PRODUCTS.len(),
            customers: 3200,
            key_accounts: 260,
            reps: 16,
            feedback_start: Day::ymd(2024, 1, 1),
            surveys_per_day: 2.9,
            complaints_per_day: 0.45,
        }
    }

    /// The Chinese sample: the demo business, written from November 2024 on — 24 months up to
    /// the as-of date, the least that gives the growth-share analysis a complete previous
    /// twelve months and the forecast the 24 months Holt-Winters needs.
    fn demo_zh() -> Scale {
        Scale {
            written_from: Day::ymd(2024, 11, 1),
            ..Scale::demo()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Business tables
// ---------------------------------------------------------------------------------------

const ONLINE: usize = 0;
const RETAIL: usize = 1;
const KEY_ACCOUNTS: usize = 2;
const DISTRIBUTORS: usize = 3;
const O2O: usize = 4;
const CHANNELS: [&str; 5] = [
    "Online Store",
    "Retail Stores",
    "Key Accounts",
    "Distributors",
    "O2O Delivery",
];
const CHANNELS_ZH: [&str; 5] = ["线上商城", "直营门店", "大客户", "经销商", "O2O外卖"];
/// Yearly growth of each channel's order count.
const CHANNEL_GROWTH: [f64; 5] = [1.25, 1.0, 1.12, 1.10, 1.28];
/// Demand climate of a year relative to the trend (2026 is a softer year).
const YEAR_CLIMATE: &[(i64, f64)] = &[(2026, 0.965)];
/// Orders per day in early 2023 before seasonality, weekday and promotion effects.
const CHANNEL_ORDERS: [f64; 5] = [3.2, 4.15, 1.4, 0.85, 2.4];
/// Share of orders with 1, 2 and 3 lines.
const CHANNEL_LINES: [[f64; 3]; 5] = [
    [0.66, 0.26, 0.08],
    [0.68, 0.25, 0.07],
    [0.35, 0.40, 0.25],
    [0.25, 0.40, 0.35],
    [0.70, 0.25, 0.05],
];
/// Monthly order-rate factors per channel (January first).
const CHANNEL_MONTH: [[f64; 12]; 5] = [
    [
        1.00, 0.80, 1.00, 1.00, 0.95, 1.05, 0.92, 0.90, 1.00, 0.95, 1.10, 1.10,
    ],
    [
        1.10, 0.85, 1.00, 1.05, 1.00, 0.95, 0.90, 0.90, 1.05, 1.10, 0.92, 1.10,
    ],
    [
        1.15, 0.60, 0.90, 1.00, 1.00, 0.95, 0.85, 0.90, 1.15, 0.95, 1.00, 1.30,
    ],
    [
        1.10, 0.55, 1.00, 1.10, 0.95, 0.90, 0.85, 1.05, 1.10, 0.85, 1.00, 1.25,
    ],
    [
        0.70, 0.65, 0.80, 0.90, 1.10, 1.30, 1.50, 1.45, 1.10, 0.95, 0.80, 0.75,
    ],
];
/// Weekday factors per channel, Monday first.
const CHANNEL_WEEKDAY: [[f64; 7]; 5] = [
    [0.97, 0.97, 0.98, 0.98, 1.02, 1.05, 1.03],
    [0.80, 0.80, 0.85, 0.90, 1.00, 1.45, 1.40],
    [1.30, 1.35, 1.35, 1.30, 1.20, 0.12, 0.05],
    [1.35, 1.35, 1.35, 1.35, 1.25, 0.10, 0.05],
    [0.90, 0.90, 0.90, 0.95, 1.10, 1.30, 1.25],
];
/// Share of orders without a customer id (walk-ins, anonymised platform orders).
const CHANNEL_ANONYMOUS: [f64; 5] = [0.0, 0.35, 0.0, 1.0, 0.45];
/// Probability that an order line is later partly returned.
const CHANNEL_RETURNS: [f64; 5] = [0.024, 0.008, 0.005, 0.003, 0.010];

const REGIONS_ZH: [&str; 5] = ["华东", "华南", "华北", "华中", "西部"];
const REGION_WEIGHT: [f64; 5] = [0.34, 0.24, 0.19, 0.13, 0.10];
/// Yearly growth of each region relative to the company.
const REGION_GROWTH: [f64; 5] = [1.00, 1.01, 0.97, 1.02, 1.06];

const GREEN: usize = 0;
const GIFT_SETS: usize = 5;
const BOTTLED: usize = 4;
const LINES_ZH: [&str; 7] = [
    "绿茶",
    "乌龙与红茶",
    "普洱与白茶",
    "袋泡茶",
    "瓶装茶饮",
    "礼盒",
    "茶具",
];
/// Yearly change of each line's weight in the mix (Teaware is declining).
const LINE_TREND: [f64; 7] = [0.98, 0.95, 1.06, 1.00, 1.15, 1.00, 0.86];
/// Monthly demand factors per product line (January first).
const LINE_MONTH: [[f64; 12]; 7] = [
    [
        0.80, 0.80, 1.50, 1.70, 1.20, 1.00, 0.80, 0.80, 0.85, 0.90, 0.90, 0.90,
    ],
    [
        1.00, 0.90, 0.90, 0.90, 0.95, 0.95, 0.90, 0.95, 1.05, 1.10, 1.15, 1.20,
    ],
    [
        1.20, 1.10, 1.00, 0.90, 0.85, 0.80, 0.80, 0.90, 1.00, 1.10, 1.20, 1.30,
    ],
    [
        1.00, 0.95, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.05, 1.05,
    ],
    [
        0.45, 0.45, 0.65, 0.90, 1.25, 1.60, 1.90, 1.80, 1.20, 0.85, 0.55, 0.45,
    ],
    [
        1.60, 0.60, 0.45, 0.45, 0.50, 0.60, 0.60, 0.90, 1.40, 0.70, 0.90, 1.60,
    ],
    [
        0.90, 0.80, 0.90, 0.90, 1.00, 1.00, 0.90, 0.90, 1.00, 1.10, 1.30, 1.20,
    ],
];
/// Product-line mix of each channel (order lines, before seasonality).
const CHANNEL_LINE_MIX: [[f64; 7]; 5] = [
    [28.0, 18.0, 14.0, 14.0, 9.0, 10.0, 7.0],
    [28.0, 20.0, 14.0, 8.0, 6.0, 13.0, 11.0],
    [20.0, 14.0, 11.0, 15.0, 16.0, 16.0, 0.5],
    [26.0, 18.0, 14.0, 14.0, 16.0, 9.0, 0.5],
    [7.0, 4.0, 0.0, 30.0, 59.0, 0.0, 0.0],
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    LooseLeaf,
    Bags,
    Bottled,
    Gift,
    Ware,
}

/// A base product: name (English, Chinese), line, price list `(from, yuan)`, unit cost as a share of the first
/// price, launch date, demand weight within its line, price elasticity, kind.
struct ProductSpec {
    name: &'static str,
    zh: &'static str,
    line: usize,
    prices: &'static [((i64, u32, u32), i64)],
    cost_ratio: f64,
    launch: (i64, u32, u32),
    weight: f64,
    elasticity: f64,
    kind: Kind,
}

const EPOCH: (i64, u32, u32) = (2000, 1, 1);

#[rustfmt::skip]
const BASE_PRODUCTS: &[ProductSpec] = &[
    ProductSpec { name: "Longjing 250g", zh: "西湖龙井250g", line: 0, prices: &[(EPOCH, 588), ((2024, 3, 1), 628), ((2026, 3, 1), 668)], cost_ratio: 0.46, launch: EPOCH, weight: 1.4, elasticity: 0.9, kind: Kind::LooseLeaf },
    ProductSpec { name: "Biluochun 250g", zh: "碧螺春250g", line: 0, prices: &[(EPOCH, 428), ((2025, 3, 1), 458)], cost_ratio: 0.44, launch: EPOCH, weight: 1.0, elasticity: 1.1, kind: Kind::LooseLeaf },
    ProductSpec { name: "Maofeng 250g", zh: "黄山毛峰250g", line: 0, prices: &[(EPOCH, 358)], cost_ratio: 0.43, launch: EPOCH, weight: 0.8, elasticity: 1.3, kind: Kind::LooseLeaf },
    ProductSpec { name: "Anji Baicha 125g", zh: "安吉白茶125g", line: 0, prices: &[(EPOCH, 298), ((2024, 3, 1), 318)], cost_ratio: 0.45, launch: EPOCH, weight: 0.7, elasticity: 1.2, kind: Kind::LooseLeaf },
    ProductSpec { name: "Tieguanyin 250g", zh: "铁观音250g", line: 1, prices: &[(EPOCH, 318)], cost_ratio: 0.42, launch: EPOCH, weight: 1.2, elasticity: 1.0, kind: Kind::LooseLeaf },
    ProductSpec { name: "Da Hong Pao 200g", zh: "大红袍200g", line: 1, prices: &[(EPOCH, 498), ((2025, 9, 1), 528)], cost_ratio: 0.45, launch: EPOCH, weight: 1.0, elasticity: 0.8, kind: Kind::LooseLeaf },
    ProductSpec { name: "Keemun 250g", zh: "祁门红茶250g", line: 1, prices: &[(EPOCH, 268)], cost_ratio: 0.40, launch: EPOCH, weight: 0.8, elasticity: 1.2, kind: Kind::LooseLeaf },
    ProductSpec { name: "Dianhong 250g", zh: "滇红250g", line: 1, prices: &[(EPOCH, 238)], cost_ratio: 0.40, launch: EPOCH, weight: 0.7, elasticity: 1.4, kind: Kind::LooseLeaf },
    ProductSpec { name: "Pu'er Cake 357g", zh: "普洱茶饼357g", line: 2, prices: &[(EPOCH, 398), ((2025, 1, 1), 428)], cost_ratio: 0.38, launch: EPOCH, weight: 1.2, elasticity: 0.7, kind: Kind::LooseLeaf },
    ProductSpec { name: "White Peony 300g", zh: "白牡丹300g", line: 2, prices: &[(EPOCH, 358), ((2025, 1, 1), 388)], cost_ratio: 0.40, launch: EPOCH, weight: 1.0, elasticity: 0.9, kind: Kind::LooseLeaf },
    ProductSpec { name: "Shou Mei Cake 350g", zh: "寿眉饼350g", line: 2, prices: &[(EPOCH, 228)], cost_ratio: 0.40, launch: EPOCH, weight: 0.8, elasticity: 1.3, kind: Kind::LooseLeaf },
    ProductSpec { name: "Jasmine Bags 50ct", zh: "茉莉茶包50袋", line: 3, prices: &[(EPOCH, 69), ((2025, 1, 1), 75)], cost_ratio: 0.36, launch: EPOCH, weight: 1.2, elasticity: 1.8, kind: Kind::Bags },
    ProductSpec { name: "Oolong Bags 50ct", zh: "乌龙茶包50袋", line: 3, prices: &[(EPOCH, 79), ((2025, 1, 1), 85)], cost_ratio: 0.36, launch: EPOCH, weight: 1.0, elasticity: 1.6, kind: Kind::Bags },
    ProductSpec { name: "Breakfast Bags 100ct", zh: "早餐红茶包100袋", line: 3, prices: &[(EPOCH, 99)], cost_ratio: 0.35, launch: EPOCH, weight: 0.8, elasticity: 1.5, kind: Kind::Bags },
    ProductSpec { name: "Cold Brew Green 12x500ml", zh: "冷泡绿茶500ml×12", line: 4, prices: &[(EPOCH, 96)], cost_ratio: 0.48, launch: EPOCH, weight: 1.2, elasticity: 1.6, kind: Kind::Bottled },
    ProductSpec { name: "Oolong Zero 12x500ml", zh: "无糖乌龙500ml×12", line: 4, prices: &[(EPOCH, 90)], cost_ratio: 0.48, launch: EPOCH, weight: 1.0, elasticity: 1.7, kind: Kind::Bottled },
    ProductSpec { name: "Jasmine Sparkling 24x330ml", zh: "茉莉气泡茶330ml×24", line: 4, prices: &[(EPOCH, 144)], cost_ratio: 0.50, launch: (2025, 5, 1), weight: 1.1, elasticity: 1.5, kind: Kind::Bottled },
    ProductSpec { name: "Spring Gift Box", zh: "新春礼盒", line: 5, prices: &[(EPOCH, 888)], cost_ratio: 0.50, launch: EPOCH, weight: 1.2, elasticity: 1.0, kind: Kind::Gift },
    ProductSpec { name: "Mid-Autumn Gift Box", zh: "中秋礼盒", line: 5, prices: &[(EPOCH, 1288), ((2025, 8, 1), 1388)], cost_ratio: 0.52, launch: EPOCH, weight: 1.0, elasticity: 1.0, kind: Kind::Gift },
    ProductSpec { name: "Heritage Gift Box", zh: "典藏礼盒", line: 5, prices: &[(EPOCH, 1888)], cost_ratio: 0.48, launch: EPOCH, weight: 0.6, elasticity: 0.8, kind: Kind::Gift },
    ProductSpec { name: "Gaiwan Set", zh: "盖碗套装", line: 6, prices: &[(EPOCH, 398), ((2025, 7, 1), 358)], cost_ratio: 0.55, launch: EPOCH, weight: 1.0, elasticity: 1.4, kind: Kind::Ware },
    ProductSpec { name: "Travel Tea Set", zh: "旅行茶具", line: 6, prices: &[(EPOCH, 268)], cost_ratio: 0.55, launch: EPOCH, weight: 0.9, elasticity: 1.5, kind: Kind::Ware },
    ProductSpec { name: "Glass Teapot", zh: "玻璃茶壶", line: 6, prices: &[(EPOCH, 158)], cost_ratio: 0.52, launch: EPOCH, weight: 0.8, elasticity: 1.6, kind: Kind::Ware },
];

/// The one visible price conflict: an unapproved flash sale of Longjing on the online store.
const CONFLICT_PRODUCT: &str = "Longjing 250g";
const CONFLICT_CHANNEL: usize = ONLINE;
const CONFLICT_MONTH: (i64, u32) = (2026, 5);
const CONFLICT_PRICE_YUAN: i64 = 548;

/// Distributors: name (English, Chinese), territory (regions), order weight, yearly growth, account rep slot.
struct PartnerSpec {
    name: &'static str,
    zh: &'static str,
    territory: &'static [usize],
    weight: f64,
    growth: f64,
    slot: usize,
}

#[rustfmt::skip]
const PARTNERS: &[PartnerSpec] = &[
    PartnerSpec { name: "Mingxiang Trading", zh: "茗香商贸", territory: &[0], weight: 0.22, growth: 1.05, slot: 3 },
    PartnerSpec { name: "Haipai Foods", zh: "海派食品", territory: &[0], weight: 0.16, growth: 1.08, slot: 1 },
    PartnerSpec { name: "Lingnan Tea Supply", zh: "岭南茶业", territory: &[1], weight: 0.20, growth: 1.10, slot: 2 },
    PartnerSpec { name: "Pengcheng Trading", zh: "鹏城贸易", territory: &[1], weight: 0.09, growth: 0.85, slot: 3 },
    PartnerSpec { name: "Jingcha Distribution", zh: "京茶分销", territory: &[2], weight: 0.17, growth: 1.02, slot: 1 },
    PartnerSpec { name: "Jiangcheng Trading", zh: "江城商贸", territory: &[3], weight: 0.09, growth: 1.08, slot: 1 },
    PartnerSpec { name: "Bashu Tea Supply", zh: "巴蜀茶业", territory: &[4], weight: 0.07, growth: 1.18, slot: 0 },
];

/// Distributor orders delivered outside the partner's territory (the territory conflicts):
/// partner index, region index, month (year, month), number of orders.
const OUT_OF_TERRITORY: &[(usize, usize, (i64, u32), u32)] = &[
    (2, 3, (2026, 3), 1),
    (2, 3, (2026, 5), 2),
    (2, 3, (2026, 8), 1),
    (4, 0, (2025, 12), 1),
    (4, 0, (2026, 6), 1),
];

/// The demo roster: per region, slots with a relative share of the region's accounts and
/// the reps who held the slot from a date on.
type SlotSpec = (f64, &'static [((i64, u32, u32), &'static str)]);
#[rustfmt::skip]
const DEMO_ROSTER: [&[SlotSpec]; 5] = [
    &[
        (1.30, &[(EPOCH, "Zhang Wei")]),
        (1.10, &[(EPOCH, "Chen Jing")]),
        (1.00, &[(EPOCH, "Wang Fang")]),
        (0.90, &[(EPOCH, "Xu Ming")]),
        (0.60, &[(EPOCH, "Wang Fang"), ((2026, 4, 1), "Lin Xiao")]),
    ],
    &[
        (1.20, &[(EPOCH, "Huang Lei")]),
        (1.00, &[(EPOCH, "Liang Mei")]),
        (1.00, &[(EPOCH, "Guo Qiang")]),
        (0.80, &[(EPOCH, "Zheng Hui")]),
    ],
    &[
        (1.20, &[(EPOCH, "Li Na")]),
        (1.00, &[(EPOCH, "Zhao Gang")]),
        (0.90, &[(EPOCH, "Sun Yan")]),
    ],
    &[
        (1.00, &[(EPOCH, "Hu Bin")]),
        (1.00, &[(EPOCH, "Deng Li")]),
    ],
    &[
        (1.00, &[(EPOCH, "Yang Tao")]),
        (1.00, &[(EPOCH, "Zhou Jie"), ((2025, 3, 1), "He Yu")]),
    ],
];

/// The reps' names in Chinese.
const REPS_ZH: &[(&str, &str)] = &[
    ("Zhang Wei", "张伟"),
    ("Chen Jing", "陈静"),
    ("Wang Fang", "王芳"),
    ("Xu Ming", "徐明"),
    ("Lin Xiao", "林晓"),
    ("Huang Lei", "黄磊"),
    ("Liang Mei", "梁梅"),
    ("Guo Qiang", "郭强"),
    ("Zheng Hui", "郑辉"),
    ("Li Na", "李娜"),
    ("Zhao Gang", "赵刚"),
    ("Sun Yan", "孙燕"),
    ("Hu Bin", "胡斌"),
    ("Deng Li", "邓丽"),
    ("Yang Tao", "杨涛"),
    ("Zhou Jie", "周杰"),
    ("He Yu", "何宇"),
];

/// Survey score columns (English, Chinese); the Chinese names are also the dimension names
/// in the Chinese plan's customers.yaml.
const SURVEY_DIMENSIONS: [(&str, &str); 4] = [
    ("product_quality", "产品质量"),
    ("packaging", "包装"),
    ("delivery", "配送"),
    ("after_sales", "售后服务"),
];
const BILLING: usize = 5;
const COMPLAINT_CATEGORIES: [(&str, &str, f64); 6] = [
    ("Delivery", "物流配送", 0.30),
    ("Product Quality", "产品质量", 0.19),
    ("After-sales Service", "售后服务", 0.18),
    ("Packaging", "包装破损", 0.12),
    ("Stock Availability", "缺货断货", 0.12),
    ("Billing", "开票结算", 0.09),
];
const COMPLAINT_CHANNELS: [(&str, &str, f64); 4] = [
    ("WeChat Service", "微信客服", 0.36),
    ("Hotline", "客服热线", 0.30),
    ("Online Chat", "在线客服", 0.24),
    ("Store Desk", "门店服务台", 0.10),
];

// ---------------------------------------------------------------------------------------
// Languages and file formats
// ---------------------------------------------------------------------------------------

/// The language of the names and the style of the files. The model works on indices and the
/// English names; only the writers ask the language for labels and formats.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    /// `data/`: English names, ISO dates, UTF-8 without BOM, LF.
    En,
    /// `samples/zh-CN/data/`: Chinese names and headers, Excel-style dates and numbers,
    /// GBK sales and UTF-8-with-BOM other files, CRLF.
    ZhCn,
}

impl Lang {
    fn pick(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }

    fn channel(self, c: usize) -> &'static str {
        self.pick(CHANNELS[c], CHANNELS_ZH[c])
    }

    fn region(self, r: usize) -> &'static str {
        self.pick(REGIONS[r], REGIONS_ZH[r])
    }

    fn line(self, l: usize) -> &'static str {
        self.pick(LINES[l], LINES_ZH[l])
    }

    fn rep(self, name: &str) -> String {
        match self {
            Lang::En => name.to_string(),
            Lang::ZhCn => REPS_ZH
                .iter()
                .find(|(en, _)| *en == name)
                .map(|(_, zh)| (*zh).to_string())
                .or_else(|| name.strip_prefix("Rep ").map(|n| format!("销售代表{n}")))
                .unwrap_or_else(|| name.to_string()),
        }
    }

    fn product(self, spec: &ProductSpec, variant: usize) -> String {
        match (self, variant) {
            (Lang::En, 0) => spec.name.to_string(),
            (Lang::En, v) => format!("{} Lot {}", spec.name, v + 1),
            (Lang::ZhCn, 0) => spec.zh.to_string(),
            (Lang::ZhCn, v) => format!("{}第{}批", spec.zh, v + 1),
        }
    }

    /// `2025-01-05` / `2025/1/5` (a date cell saved by Chinese Excel).
    fn date(self, day: Day) -> String {
        match self {
            Lang::En => day.to_string(),
            Lang::ZhCn => {
                let (y, m, d) = day.civil();
                format!("{y}/{m}/{d}")
            }
        }
    }

    /// `138.00` / `138` (Excel's General format drops trailing zeros).
    fn money(self, v: i64) -> String {
        let text = fmt_money(v);
        match self {
            Lang::En => text,
            Lang::ZhCn => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        }
    }

    /// Encoding of `sales.csv` / of the other files.
    fn encodings(self) -> (Encoding, Encoding) {
        match self {
            Lang::En => (Encoding::Utf8, Encoding::Utf8),
            Lang::ZhCn => (Encoding::Gbk, Encoding::Utf8Bom),
        }
    }

    fn eol(self) -> &'static str {
        self.pick("\n", "\r\n")
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Gbk,
}

/// A CSV file being written: header, then rows dated from `from` on (earlier rows are
/// counted out, not written).
struct CsvOut<W: Write> {
    out: W,
    encoding: Encoding,
    eol: &'static str,
    from: Day,
    rows: u64,
}

impl CsvOut<BufWriter<fs::File>> {
    fn create(path: &Path, encoding: Encoding, lang: Lang, from: Day) -> io::Result<Self> {
        let mut out = BufWriter::new(fs::File::create(path)?);
        if encoding == Encoding::Utf8Bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvOut {
            out,
            encoding,
            eol: lang.eol(),
            from,
            rows: 0,
        })
    }
}

impl<W: Write> CsvOut<W> {
    fn header(&mut self, text: &str) -> io::Result<()> {
        self.write_line(text)
    }

    /// Writes a row dated `day` unless it is before the first written day.
    fn row(&mut self, day: Day, text: &str) -> io::Result<()> {
        if day < self.from {
            return Ok(());
        }
        self.rows += 1;
        self.write_line(text)
    }

    fn write_line(&mut self, text: &str) -> io::Result<()> {
        match self.encoding {
            Encoding::Gbk => self.out.write_all(&gbk(text)?)?,
            Encoding::Utf8 | Encoding::Utf8Bom => self.out.write_all(text.as_bytes())?,
        }
        self.out.write_all(self.eol.as_bytes())
    }

    /// Flushes and returns the number of rows written.
    fn finish(mut self) -> io::Result<u64> {
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// Encodes `text` in GBK: ASCII as is, every other character from [`GBK`].
fn gbk(text: &str) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 2);
    for ch in text.chars() {
        if ch.is_ascii() {
            out.push(ch as u8);
            continue;
        }
        match GBK.binary_search_by_key(&ch, |e| e.0) {
            Ok(i) => out.extend_from_slice(&GBK[i].1),
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "`{ch}` (U+{:04X}) is not in the GBK table of generate_data.rs; add it",
                        ch as u32
                    ),
                ))
            }
        }
    }
    Ok(out)
}

/// GBK bytes of every non-ASCII character in this file's Chinese names and headers, sorted
/// by character (from Python's `'字'.encode('gbk')`; [`gbk`] binary-searches it).
#[rustfmt::skip]
const GBK: &[(char, [u8; 2])] = &[
    ('×', [0xA1, 0xC1]), ('上', [0xC9, 0xCF]), ('与', [0xD3, 0xEB]), ('业', [0xD2, 0xB5]), ('东', [0xB6, 0xAB]), ('中', [0xD6, 0xD0]),
    ('丹', [0xB5, 0xA4]), ('丽', [0xC0, 0xF6]), ('乌', [0xCE, 0xDA]), ('井', [0xBE, 0xAE]), ('产', [0xB2, 0xFA]), ('京', [0xBE, 0xA9]),
    ('代', [0xB4, 0xFA]), ('价', [0xBC, 0xDB]), ('伟', [0xCE, 0xB0]), ('何', [0xBA, 0xCE]), ('信', [0xD0, 0xC5]), ('具', [0xBE, 0xDF]),
    ('典', [0xB5, 0xE4]), ('决', [0xBE, 0xF6]), ('冷', [0xC0, 0xE4]), ('分', [0xB7, 0xD6]), ('刚', [0xB8, 0xD5]), ('别', [0xB1, 0xF0]),
    ('务', [0xCE, 0xF1]), ('包', [0xB0, 0xFC]), ('北', [0xB1, 0xB1]), ('区', [0xC7, 0xF8]), ('华', [0xBB, 0xAA]), ('单', [0xB5, 0xA5]),
    ('卖', [0xC2, 0xF4]), ('南', [0xC4, 0xCF]), ('受', [0xCA, 0xDC]), ('台', [0xCC, 0xA8]), ('号', [0xBA, 0xC5]), ('吉', [0xBC, 0xAA]),
    ('后', [0xBA, 0xF3]), ('周', [0xD6, 0xDC]), ('品', [0xC6, 0xB7]), ('响', [0xCF, 0xEC]), ('售', [0xCA, 0xDB]), ('商', [0xC9, 0xCC]),
    ('在', [0xD4, 0xDA]), ('城', [0xB3, 0xC7]), ('域', [0xD3, 0xF2]), ('壶', [0xBA, 0xF8]), ('外', [0xCD, 0xE2]), ('大', [0xB4, 0xF3]),
    ('套', [0xCC, 0xD7]), ('娜', [0xC4, 0xC8]), ('孙', [0xCB, 0xEF]), ('宇', [0xD3, 0xEE]), ('安', [0xB0, 0xB2]), ('客', [0xBF, 0xCD]),
    ('寿', [0xCA, 0xD9]), ('山', [0xC9, 0xBD]), ('岭', [0xC1, 0xEB]), ('峰', [0xB7, 0xE5]), ('巴', [0xB0, 0xCD]), ('应', [0xD3, 0xA6]),
    ('店', [0xB5, 0xEA]), ('开', [0xBF, 0xAA]), ('张', [0xD5, 0xC5]), ('强', [0xC7, 0xBF]), ('徐', [0xD0, 0xEC]), ('微', [0xCE, 0xA2]),
    ('意', [0xD2, 0xE2]), ('愿', [0xD4, 0xB8]), ('成', [0xB3, 0xC9]), ('户', [0xBB, 0xA7]), ('批', [0xC5, 0xFA]), ('投', [0xCD, 0xB6]),
    ('损', [0xCB, 0xF0]), ('推', [0xCD, 0xC6]), ('数', [0xCA, 0xFD]), ('斌', [0xB1, 0xF3]), ('断', [0xB6, 0xCF]), ('新', [0xD0, 0xC2]),
    ('旅', [0xC2, 0xC3]), ('无', [0xCE, 0xDE]), ('日', [0xC8, 0xD5]), ('早', [0xD4, 0xE7]), ('时', [0xCA, 0xB1]), ('明', [0xC3, 0xF7]),
    ('易', [0xD2, 0xD7]), ('春', [0xB4, 0xBA]), ('晓', [0xCF, 0xFE]), ('普', [0xC6, 0xD5]), ('服', [0xB7, 0xFE]), ('期', [0xC6, 0xDA]),
    ('本', [0xB1, 0xBE]), ('李', [0xC0, 0xEE]), ('杨', [0xD1, 0xEE]), ('杰', [0xBD, 0xDC]), ('林', [0xC1, 0xD6]), ('梁', [0xC1, 0xBA]),
    ('梅', [0xC3, 0xB7]), ('次', [0xB4, 0xCE]), ('毛', [0xC3, 0xAB]), ('气', [0xC6, 0xF8]), ('江', [0xBD, 0xAD]), ('泡', [0xC5, 0xDD]),
    ('洱', [0xB6, 0xFD]), ('派', [0xC5, 0xC9]), ('流', [0xC1, 0xF7]), ('海', [0xBA, 0xA3]), ('涛', [0xCC, 0xCE]), ('渠', [0xC7, 0xFE]),
    ('湖', [0xBA, 0xFE]), ('滇', [0xB5, 0xE1]), ('热', [0xC8, 0xC8]), ('燕', [0xD1, 0xE0]), ('牡', [0xC4, 0xB5]), ('物', [0xCE, 0xEF]),
    ('王', [0xCD, 0xF5]), ('玻', [0xB2, 0xA3]), ('理', [0xC0, 0xED]), ('璃', [0xC1, 0xA7]), ('瓶', [0xC6, 0xBF]), ('白', [0xB0, 0xD7]),
    ('盒', [0xBA, 0xD0]), ('盖', [0xB8, 0xC7]), ('直', [0xD6, 0xB1]), ('眉', [0xC3, 0xBC]), ('破', [0xC6, 0xC6]), ('碗', [0xCD, 0xEB]),
    ('碧', [0xB1, 0xCC]), ('磊', [0xC0, 0xDA]), ('礼', [0xC0, 0xF1]), ('祁', [0xC6, 0xEE]), ('票', [0xC6, 0xB1]), ('秋', [0xC7, 0xEF]),
    ('第', [0xB5, 0xDA]), ('算', [0xCB, 0xE3]), ('类', [0xC0, 0xE0]), ('糖', [0xCC, 0xC7]), ('红', [0xBA, 0xEC]), ('线', [0xCF, 0xDF]),
    ('经', [0xBE, 0xAD]), ('结', [0xBD, 0xE1]), ('绿', [0xC2, 0xCC]), ('编', [0xB1, 0xE0]), ('缺', [0xC8, 0xB1]), ('胡', [0xBA, 0xFA]),
    ('芳', [0xB7, 0xBC]), ('茉', [0xDC, 0xD4]), ('茗', [0xDC, 0xF8]), ('茶', [0xB2, 0xE8]), ('荐', [0xBC, 0xF6]), ('莉', [0xC0, 0xF2]),
    ('营', [0xD3, 0xAA]), ('藏', [0xB2, 0xD8]), ('蜀', [0xCA, 0xF1]), ('螺', [0xC2, 0xDD]), ('行', [0xD0, 0xD0]), ('表', [0xB1, 0xED]),
    ('袋', [0xB4, 0xFC]), ('袍', [0xC5, 0xDB]), ('装', [0xD7, 0xB0]), ('西', [0xCE, 0xF7]), ('观', [0xB9, 0xDB]), ('解', [0xBD, 0xE2]),
    ('订', [0xB6, 0xA9]), ('访', [0xB7, 0xC3]), ('诉', [0xCB, 0xDF]), ('货', [0xBB, 0xF5]), ('质', [0xD6, 0xCA]), ('贸', [0xC3, 0xB3]),
    ('赵', [0xD5, 0xD4]), ('辉', [0xBB, 0xD4]), ('送', [0xCB, 0xCD]), ('道', [0xB5, 0xC0]), ('邓', [0xB5, 0xCB]), ('郑', [0xD6, 0xA3]),
    ('部', [0xB2, 0xBF]), ('郭', [0xB9, 0xF9]), ('配', [0xC5, 0xE4]), ('量', [0xC1, 0xBF]), ('铁', [0xCC, 0xFA]), ('销', [0xCF, 0xFA]),
    ('门', [0xC3, 0xC5]), ('间', [0xBC, 0xE4]), ('陈', [0xB3, 0xC2]), ('静', [0xBE, 0xB2]), ('音', [0xD2, 0xF4]), ('额', [0xB6, 0xEE]),
    ('食', [0xCA, 0xB3]), ('餐', [0xB2, 0xCD]), ('饮', [0xD2, 0xFB]), ('饼', [0xB1, 0xFD]), ('首', [0xCA, 0xD7]), ('香', [0xCF, 0xE3]),
    ('鹏', [0xC5, 0xF4]), ('黄', [0xBB, 0xC6]), ('龙', [0xC1, 0xFA]),
];

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// A calendar day, counted from 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Day(i64);

impl Day {
    fn ymd(y: i64, m: u32, d: u32) -> Day {
        Day(days_from_civil((y, m, d)))
    }

    fn from_tuple(t: (i64, u32, u32)) -> Day {
        Day::ymd(t.0, t.1, t.2)
    }

    fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    fn year(self) -> i64 {
        self.civil().0
    }

    fn month(self) -> u32 {
        self.civil().1
    }

    /// 0 = Monday.
    fn weekday(self) -> usize {
        (self.0 + 3).rem_euclid(7) as usize
    }

    fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    fn in_window(self, from: Day, to: Day) -> bool {
        from <= self && self <= to
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Minutes since 1970-01-01 00:00, for complaint timestamps.
fn fmt_minutes(t: i64) -> String {
    let day = Day(t.div_euclid(1440));
    let rest = t.rem_euclid(1440);
    format!("{day} {:02}:{:02}", rest / 60, rest % 60)
}

/// Spring Festival (Chinese New Year's day); approximate outside the known years.
fn spring_festival(year: i64) -> Day {
    match year {
        2022 => Day::ymd(2022, 2, 1),
        2023 => Day::ymd(2023, 1, 22),
        2024 => Day::ymd(2024, 2, 10),
        2025 => Day::ymd(2025, 1, 29),
        2026 => Day::ymd(2026, 2, 17),
        2027 => Day::ymd(2027, 2, 6),
        2028 => Day::ymd(2028, 1, 26),
        _ => Day::ymd(year, 2, 5),
    }
}

/// Mid-Autumn Festival; approximate outside the known years.
fn mid_autumn(year: i64) -> Day {
    match year {
        2022 => Day::ymd(2022, 9, 10),
        2023 => Day::ymd(2023, 9, 29),
        2024 => Day::ymd(2024, 9, 17),
        2025 => Day::ymd(2025, 10, 6),
        2026 => Day::ymd(2026, 9, 25),
        2027 => Day::ymd(2027, 9, 15),
        2028 => Day::ymd(2028, 10, 3),
        _ => Day::ymd(year, 9, 20),
    }
}

/// `base` raised to the fractional number of years since `start`, using only
/// multiplication: whole years exactly, the fraction by linear interpolation.
fn yearly(base: f64, start: Day, day: Day) -> f64 {
    let years = (day.0 - start.0) as f64 / 365.25;
    let whole = years.floor() as i64;
    let mut f = 1.0;
    for _ in 0..whole {
        f *= base;
    }
    f * (1.0 + (base - 1.0) * (years - whole as f64))
}

// ---------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------

impl Rng {
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in lo..=hi.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly standard normal (Irwin-Hall with four terms), no transcendental functions.
    fn normalish(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 1.732_050_807_568_877_2
    }

    /// Integer with expectation `x`.
    fn round_count(&mut self, x: f64) -> u32 {
        let whole = x.floor();
        whole as u32 + u32::from(self.chance(x - whole))
    }

    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------------------
// Money: integer ten-thousandths of a yuan
// ---------------------------------------------------------------------------------------

const YUAN: i64 = 10_000;
const CENT: i64 = 100;

/// Writes `v` with at least two and at most four decimals (trailing zeros beyond two dropped).
fn fmt_money(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let mut decimals = format!("{:04}", a % 10_000);
    while decimals.len() > 2 && decimals.ends_with('0') {
        decimals.pop();
    }
    format!("{sign}{}.{decimals}", a / 10_000)
}

/// Rounds to whole cents, half away from zero.
fn round_cents(v: i64) -> i64 {
    let q = v.abs() / CENT + i64::from(v.abs() % CENT >= CENT / 2);
    q * CENT * v.signum()
}

// ---------------------------------------------------------------------------------------
// The model of the business
// ---------------------------------------------------------------------------------------

struct Product {
    /// The English name, which the business tables refer to.
    name: String,
    /// The name written to the files.
    label: String,
    line: usize,
    prices: Vec<(Day, i64)>,
    unit_cost: i64,
    launch: Day,
    weight: f64,
    elasticity: f64,
    kind: Kind,
}

impl Product {
    fn list_price(&self, day: Day) -> i64 {
        self.prices
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .map_or(self.prices[0].1, |p| p.1)
    }

    /// Unit cost rises 3 % a year from 2023.
    fn cost(&self, day: Day) -> i64 {
        let years = (day.year() - 2023).max(0);
        round_cents(self.unit_cost * (100 + 3 * years) / 100)
    }
}

fn catalogue(n: usize, lang: Lang) -> Vec<Product> {
    (0..n.max(1))
        .map(|i| {
            let spec = &BASE_PRODUCTS[i % BASE_PRODUCTS.len()];
            let variant = i / BASE_PRODUCTS.len();
            let name = Lang::En.product(spec, variant);
            let label = lang.product(spec, variant);
            let prices: Vec<(Day, i64)> = spec
                .prices
                .iter()
                .map(|(d, yuan)| (Day::from_tuple(*d), yuan * YUAN))
                .collect();
            let unit_cost = round_cents((prices[0].1 as f64 * spec.cost_ratio) as i64);
            Product {
                name,
                label,
                line: spec.line,
                prices,
                unit_cost,
                launch: Day::from_tuple(spec.launch),
                weight: spec.weight / (1 + variant) as f64,
                elasticity: spec.elasticity,
                kind: spec.kind,
            }
        })
        .collect()
}

/// One sales promotion as it played out in the data.
struct Promo {
    start: Day,
    end: Day,
    /// Order-rate multiplier per channel (1.0 = not part of the promotion).
    lift: [f64; 5],
    /// Demand multiplier per product line on the promoted channels.
    boost: [f64; 7],
    /// Percentage off the list price of one product line.
    discount: Option<(usize, i64)>,
    /// Spend-X-save-Y (满减), in yuan.
    spend_save: Option<(i64, i64)>,
    /// Visitors multiplier on the promoted channels.
    traffic: f64,
}

impl Promo {
    fn covers(&self, channel: usize, day: Day) -> bool {
        self.lift[channel] != 1.0 && day.in_window(self.start, self.end)
    }
}

fn lifts(pairs: &[(usize, f64)]) -> [f64; 5] {
    let mut l = [1.0; 5];
    for (c, f) in pairs {
        l[*c] = *f;
    }
    l
}

fn boosts(pairs: &[(usize, f64)]) -> [f64; 7] {
    let mut b = [1.0; 7];
    for (l, f) in pairs {
        b[*l] = *f;
    }
    b
}

/// The yearly promotion calendar. The 2026 windows are the ones in promotions.yaml.
fn promotions(first_year: i64, last_year: i64) -> Vec<Promo> {
    let mut out = Vec::new();
    for y in first_year..=last_year {
        let sf = spring_festival(y);
        let ma = mid_autumn(y);
        out.push(Promo {
            start: sf.plus(-29),
            end: sf.plus(-4),
            lift: lifts(&[
                (ONLINE, 1.6),
                (RETAIL, 1.5),
                (KEY_ACCOUNTS, 1.6),
                (DISTRIBUTORS, 1.35),
            ]),
            boost: boosts(&[(GIFT_SETS, 2.4)]),
            discount: Some((GIFT_SETS, 10)),
            spend_save: None,
            traffic: 1.3,
        });
        out.push(Promo {
            start: Day::ymd(y, 3, 20),
            end: Day::ymd(y, 4, 12),
            lift: lifts(&[(ONLINE, 1.35), (RETAIL, 1.3), (O2O, 1.2)]),
            boost: boosts(&[(GREEN, 1.8)]),
            discount: None,
            spend_save: Some((600, 30)),
            traffic: 1.25,
        });
        out.push(Promo {
            start: Day::ymd(y, 6, 1),
            end: Day::ymd(y, 6, 18),
            lift: lifts(&[(ONLINE, 1.9), (RETAIL, 1.15), (O2O, 1.3)]),
            boost: [1.0; 7],
            discount: None,
            spend_save: Some((500, 25)),
            traffic: 1.7,
        });
        out.push(Promo {
            start: Day::ymd(y, 7, 6),
            end: Day::ymd(y, 8, 16),
            lift: lifts(&[(O2O, 1.35)]),
            boost: boosts(&[(BOTTLED, 1.4)]),
            discount: None,
            spend_save: Some((199, 8)),
            traffic: 1.3,
        });
        out.push(Promo {
            start: ma.plus(-25),
            end: ma.plus(-1),
            lift: lifts(&[
                (ONLINE, 1.3),
                (RETAIL, 1.3),
                (KEY_ACCOUNTS, 1.45),
                (DISTRIBUTORS, 1.2),
            ]),
            boost: boosts(&[(GIFT_SETS, 2.4)]),
            discount: Some((GIFT_SETS, 10)),
            spend_save: None,
            traffic: 1.25,
        });
        if y >= 2026 {
            out.push(Promo {
                start: Day::ymd(y, 10, 19),
                end: Day::ymd(y, 11, 8),
                lift: lifts(&[(RETAIL, 1.7)]),
                boost: boosts(&[(1, 1.3), (2, 1.3)]),
                discount: None,
                spend_save: None,
                traffic: 1.0,
            });
        }
        out.push(Promo {
            start: Day::ymd(y, 11, 1),
            end: Day::ymd(y, 11, 11),
            lift: lifts(&[(ONLINE, 2.3), (O2O, 1.3)]),
            boost: [1.0; 7],
            discount: None,
            spend_save: Some((1000, 50)),
            traffic: 2.0,
        });
        out.push(Promo {
            start: Day::ymd(y, 12, 1),
            end: Day::ymd(y, 12, 23),
            lift: lifts(&[(KEY_ACCOUNTS, 1.3), (DISTRIBUTORS, 1.15)]),
            boost: boosts(&[(GIFT_SETS, 1.6)]),
            discount: None,
            spend_save: Some((10_000, 300)),
            traffic: 1.0,
        });
    }
    out
}

fn climate(year: i64) -> f64 {
    YEAR_CLIMATE
        .iter()
        .find(|(y, _)| *y == year)
        .map_or(1.0, |c| c.1)
}

/// Festival and holiday effects on a channel's order rate, outside the promotions.
fn holiday_factor(channel: usize, day: Day) -> f64 {
    let y = day.year();
    let mut f = 1.0;
    for sf in [spring_festival(y), spring_festival(y + 1)] {
        let k = day.0 - sf.0;
        if (-3..=6).contains(&k) {
            f *= [0.35, 0.35, 0.08, 0.05, 0.6][channel];
        } else if (7..=20).contains(&k) {
            f *= 0.85;
        } else if (-40..=-4).contains(&k) && channel != DISTRIBUTORS {
            f *= 1.12;
        }
        if channel == DISTRIBUTORS && (-60..=-32).contains(&k) {
            f *= 1.2;
        }
    }
    let ma = mid_autumn(y);
    let k = day.0 - ma.0;
    if channel == DISTRIBUTORS && (-50..=-22).contains(&k) {
        f *= 1.3;
    }
    if (0..=1).contains(&k) {
        f *= 0.7;
    }
    if day.in_window(Day::ymd(y, 10, 1), Day::ymd(y, 10, 7)) {
        f *= [0.95, 1.3, 0.3, 0.15, 1.1][channel];
    }
    let (_, m, d) = day.civil();
    if channel == ONLINE && ((m == 6 && d == 18) || (m == 11 && d == 11)) {
        f *= if m == 6 { 1.6 } else { 2.0 };
    }
    f
}

struct Customer {
    id: String,
    region: usize,
    join: Day,
    lapse: Day,
    weight: f64,
    preferred: usize,
    slot: usize,
}

/// Consumers and key accounts, each with a home region and a rep slot.
struct Accounts {
    consumers: Vec<Customer>,
    consumers_by_region: Vec<Vec<usize>>,
    key_accounts: Vec<Customer>,
    key_by_region: Vec<Vec<usize>>,
}

const MAX_WEIGHT: f64 = 5.0;

impl Accounts {
    fn new(scale: &Scale, roster: &Roster, rng: &mut Rng) -> Accounts {
        let span = scale.end.0 - scale.start.0;
        let mut consumers: Vec<Customer> = (0..scale.customers)
            .map(|_| {
                let region = rng.weighted(&REGION_WEIGHT);
                // A third were members before the data starts; later sign-ups lean recent.
                let join = if rng.chance(0.33) {
                    scale.start.plus(-rng.between(1, 700))
                } else {
                    let u = rng.unit();
                    scale.start.plus((u * (1.4 - 0.4 * u) * span as f64) as i64)
                };
                let lapse = if rng.chance(0.38) {
                    join.plus(rng.between(60, 900))
                } else {
                    Day(i64::MAX)
                };
                let r = rng.unit();
                let weight = if r < 0.12 {
                    5.0
                } else if r < 0.52 {
                    1.8
                } else {
                    0.5
                };
                let preferred = [ONLINE, RETAIL, O2O][rng.weighted(&[0.45, 0.30, 0.25])];
                let slot = roster.pick_slot(region, rng);
                Customer {
                    id: String::new(),
                    region,
                    join,
                    lapse,
                    weight,
                    preferred,
                    slot,
                }
            })
            .collect();
        consumers.sort_by_key(|c| c.join);
        for (i, c) in consumers.iter_mut().enumerate() {
            c.id = format!("C{:05}", i + 1);
        }
        let mut key_accounts: Vec<Customer> = (0..scale.key_accounts)
            .map(|_| {
                let region = rng.weighted(&REGION_WEIGHT);
                let join = if rng.chance(0.65) {
                    scale.start.plus(-rng.between(30, 1500))
                } else {
                    scale.start.plus(rng.between(0, span - 30))
                };
                let lapse = if rng.chance(0.18) {
                    join.plus(rng.between(200, 1000))
                } else {
                    Day(i64::MAX)
                };
                let u = rng.unit();
                let weight = 0.5 + 2.5 * u * u;
                let slot = roster.pick_slot(region, rng);
                Customer {
                    id: String::new(),
                    region,
                    join,
                    lapse,
                    weight,
                    preferred: KEY_ACCOUNTS,
                    slot,
                }
            })
            .collect();
        key_accounts.sort_by_key(|c| c.join);
        for (i, c) in key_accounts.iter_mut().enumerate() {
            c.id = format!("K{:04}", i + 1);
        }
        let by_region = |list: &[Customer]| {
            let mut v = vec![Vec::new(); REGIONS.len()];
            for (i, c) in list.iter().enumerate() {
                v[c.region].push(i);
            }
            v
        };
        Accounts {
            consumers_by_region: by_region(&consumers),
            key_by_region: by_region(&key_accounts),
            consumers,
            key_accounts,
        }
    }

    /// A consumer of `region` active on `day`, favouring those who prefer `channel` and
    /// buy often. `None` when no one qualifies after a fair number of draws.
    fn pick_consumer(
        &self,
        rng: &mut Rng,
        region: usize,
        channel: usize,
        day: Day,
    ) -> Option<usize> {
        let list = &self.consumers_by_region[region];
        if list.is_empty() {
            return None;
        }
        for _ in 0..400 {
            let i = list[rng.below(list.len())];
            let c = &self.consumers[i];
            if day < c.join || day >= c.lapse {
                continue;
            }
            let affinity = if c.preferred == channel { 1.0 } else { 0.15 };
            if rng.unit() * MAX_WEIGHT < c.weight * affinity {
                return Some(i);
            }
        }
        None
    }

    fn pick_key_account(&self, rng: &mut Rng, region: usize, day: Day) -> Option<usize> {
        let list = &self.key_by_region[region];
        if list.is_empty() {
            return None;
        }
        for _ in 0..400 {
            let i = list[rng.below(list.len())];
            let c = &self.key_accounts[i];
            if day >= c.join && day < c.lapse && rng.unit() * MAX_WEIGHT < c.weight {
                return Some(i);
            }
        }
        None
    }
}

/// A share of a region's accounts and the reps who held it, `(from, rep)` in date order.
#[derive(Clone)]
struct Slot {
    weight: f64,
    holders: Vec<(Day, String)>,
}

/// Which rep holds which slot of a region on a given day.
struct Roster {
    regions: Vec<Vec<Slot>>,
}

impl Roster {
    fn new(reps: usize, lang: Lang) -> Roster {
        if reps == 16 {
            let slot = |(weight, holders): &SlotSpec| Slot {
                weight: *weight,
                holders: holders
                    .iter()
                    .map(|(from, name)| (Day::from_tuple(*from), lang.rep(name)))
                    .collect(),
            };
            let regions = DEMO_ROSTER
                .iter()
                .map(|slots| slots.iter().map(slot).collect())
                .collect();
            return Roster { regions };
        }
        // Synthetic roster for other scales: reps spread over regions by region size.
        let mut regions: Vec<Vec<Slot>> = vec![Vec::new(); REGIONS.len()];
        let mut next = 0usize;
        for (r, w) in REGION_WEIGHT.iter().enumerate() {
            let n = ((reps as f64 * w).round() as usize).max(1);
            for _ in 0..n {
                next += 1;
                let name = lang.rep(&format!("Rep {next:03}"));
                let holders = vec![(Day::from_tuple(EPOCH), name)];
                regions[r].push(Slot {
                    weight: 1.0,
                    holders,
                });
            }
        }
        Roster { regions }
    }

    fn pick_slot(&self, region: usize, rng: &mut Rng) -> usize {
        let weights: Vec<f64> = self.regions[region].iter().map(|s| s.weight).collect();
        rng.weighted(&weights)
    }

    fn rep(&self, region: usize, slot: usize, day: Day) -> &str {
        let slots = &self.regions[region];
        let holders = &slots[slot % slots.len()].holders;
        holders
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .map_or(holders[0].1.as_str(), |h| h.1.as_str())
    }
}

// ---------------------------------------------------------------------------------------
// Sales
// ---------------------------------------------------------------------------------------

struct Line {
    product: usize,
    quantity: i64,
    unit_price: i64,
    amount: i64,
    cost: Option<i64>,
}

/// One written sales row, kept until its date for returns.
struct PendingReturn {
    customer: String,
    product: usize,
    region: usize,
    channel: usize,
    rep: String,
    partner: String,
    quantity: i64,
    unit_price: i64,
    amount: i64,
    cost: Option<i64>,
}

struct SalesWriter<W: Write> {
    out: CsvOut<W>,
    lang: Lang,
}

impl<W: Write> SalesWriter<W> {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        day: Day,
        order_id: &str,
        customer: &str,
        product: &Product,
        region: usize,
        channel: usize,
        rep: &str,
        partner: &str,
        quantity: i64,
        unit_price: i64,
        amount: i64,
        cost: Option<i64>,
    ) -> io::Result<()> {
        if day < self.out.from {
            return Ok(());
        }
        let lang = self.lang;
        let line = format!(
            "{},{order_id},{customer},{},{},{},{},{rep},{partner},{quantity},{},{},{}",
            lang.date(day),
            product.label,
            lang.line(product.line),
            lang.region(region),
            lang.channel(channel),
            lang.money(unit_price),
            lang.money(amount),
            cost.map(|c| lang.money(c)).unwrap_or_default(),
        );
        self.out.row(day, &line)
    }
}

/// Everything the daily sales loop needs.
struct Business {
    scale: Scale,
    lang: Lang,
    products: Vec<Product>,
    promos: Vec<Promo>,
    roster: Roster,
    accounts: Accounts,
}

impl Business {
    fn new(scale: Scale, seed: u64, lang: Lang) -> Business {
        let mut rng = Rng::new(seed, 1);
        let roster = Roster::new(scale.reps, lang);
        let accounts = Accounts::new(&scale, &roster, &mut rng);
        Business {
            lang,
            products: catalogue(scale.products, lang),
            promos: promotions(scale.start.year(), scale.end.year()),
            roster,
            accounts,
            scale,
        }
    }

    fn promo(&self, channel: usize, day: Day) -> Option<&Promo> {
        self.promos.iter().find(|p| p.covers(channel, day))
    }

    /// Expected number of orders of a channel on a day.
    fn order_rate(&self, channel: usize, day: Day) -> f64 {
        let month = day.month() as usize - 1;
        let promo = self.promo(channel, day).map_or(1.0, |p| p.lift[channel]);
        self.scale.volume
            * CHANNEL_ORDERS[channel]
            * yearly(CHANNEL_GROWTH[channel], self.scale.start, day)
            * CHANNEL_MONTH[channel][month]
            * CHANNEL_WEEKDAY[channel][day.weekday()]
            * holiday_factor(channel, day)
            * climate(day.year())
            * promo
    }

    /// The price a channel charges on a day, before order-level savings.
    fn price(&self, product: usize, channel: usize, day: Day, promo: Option<&Promo>) -> i64 {
        let p = &self.products[product];
        let (y, m, _) = day.civil();
        if p.name == CONFLICT_PRODUCT && channel == CONFLICT_CHANNEL && (y, m) == CONFLICT_MONTH {
            return CONFLICT_PRICE_YUAN * YUAN;
        }
        let list = p.list_price(day);
        match promo.and_then(|pr| pr.discount) {
            Some((line, pct)) if line == p.line => round_cents(list * (100 - pct) / 100),
            _ => list,
        }
    }

    /// Demand weight of each product on a channel and day.
    fn product_weights(&self, channel: usize, day: Day, promo: Option<&Promo>) -> Vec<f64> {
        let month = day.month() as usize - 1;
        self.products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if day < p.launch {
                    return 0.0;
                }
                let ramp = ((day.0 - p.launch.0) as f64 / 120.0).min(1.0);
                let line = p.line;
                let reference = p.prices[0].1 as f64;
                let relative = self.price(i, channel, day, promo) as f64 / reference - 1.0;
                let price_response = (1.0 - p.elasticity * relative).max(0.2);
                let boost = promo.map_or(1.0, |pr| pr.boost[line]);
                CHANNEL_LINE_MIX[channel][line]
                    * yearly(LINE_TREND[line], self.scale.start, day)
                    * LINE_MONTH[line][month]
                    * p.weight
                    * ramp.max(0.05)
                    * price_response
                    * boost
            })
            .collect()
    }

    fn quantity(&self, rng: &mut Rng, channel: usize, kind: Kind) -> i64 {
        let small = |rng: &mut Rng, weights: &[f64]| rng.weighted(weights) as i64 + 1;
        match (channel, kind) {
            (KEY_ACCOUNTS, Kind::Bags | Kind::Bottled) => rng.between(8, 24),
            (KEY_ACCOUNTS, Kind::Gift) => rng.between(3, 10),
            (KEY_ACCOUNTS, _) => rng.between(3, 9),
            (DISTRIBUTORS, Kind::Bags | Kind::Bottled) => rng.between(20, 50),
            (DISTRIBUTORS, Kind::Gift) => rng.between(8, 20),
            (DISTRIBUTORS, _) => rng.between(6, 16),
            (_, Kind::Bags | Kind::Bottled) => small(rng, &[0.45, 0.30, 0.15, 0.10]),
            (RETAIL, Kind::Gift) if rng.chance(0.08) => rng.between(5, 12),
            _ => small(rng, &[0.55, 0.30, 0.15]),
        }
    }

    fn write_sales(&self, path: &Path, seed: u64) -> io::Result<u64> {
        let mut rng = Rng::new(seed, 2);
        let lang = self.lang;
        let mut w = SalesWriter {
            out: CsvOut::create(path, lang.encodings().0, lang, self.scale.written_from)?,
            lang,
        };
        w.out.header(lang.pick(
            "date,order_id,customer_id,product,product_line,region,channel,rep,partner,quantity,unit_price,amount,cost",
            "日期,订单号,客户编号,产品,产品线,区域,渠道,销售代表,经销商,数量,单价,销售额,成本",
        ))?;
        let mut order_seq = 0u64;
        let mut return_seq = 0u64;
        let mut returns: BTreeMap<Day, Vec<PendingReturn>> = BTreeMap::new();
        let partner_weights: Vec<f64> = PARTNERS.iter().map(|p| p.weight).collect();
        let mut day = self.scale.start;
        while day <= self.scale.end {
            for channel in 0..CHANNELS.len() {
                let promo = self.promo(channel, day);
                let rate = self.order_rate(channel, day) * (0.85 + 0.3 * rng.unit());
                let orders = rng.round_count(rate);
                if orders == 0 {
                    continue;
                }
                let weights = self.product_weights(channel, day, promo);
                for _ in 0..orders {
                    order_seq += 1;
                    let order_id = format!("SO{order_seq:06}");
                    self.write_order(
                        &mut w,
                        &mut rng,
                        &mut returns,
                        day,
                        channel,
                        promo,
                        &weights,
                        &partner_weights,
                        &order_id,
                    )?;
                }
            }
            // Planted out-of-territory distributor orders.
            let (y, m, d) = day.civil();
            for &(partner, region, month, count) in OUT_OF_TERRITORY {
                if (y, m) == month && d == 12 {
                    let weights = self.product_weights(DISTRIBUTORS, day, None);
                    for _ in 0..count {
                        order_seq += 1;
                        let order_id = format!("SO{order_seq:06}");
                        self.write_partner_order(
                            &mut w,
                            &mut rng,
                            &mut returns,
                            day,
                            partner,
                            region,
                            &weights,
                            &order_id,
                        )?;
                    }
                }
            }
            if let Some(due) = returns.remove(&day) {
                for r in due {
                    return_seq += 1;
                    w.row(
                        day,
                        &format!("RT{return_seq:05}"),
                        &r.customer,
                        &self.products[r.product],
                        r.region,
                        r.channel,
                        &r.rep,
                        &r.partner,
                        r.quantity,
                        r.unit_price,
                        r.amount,
                        r.cost,
                    )?;
                }
            }
            day = day.plus(1);
        }
        w.out.finish()
    }

    #[allow(clippy::too_many_arguments)]
    fn write_order<W: Write>(
        &self,
        w: &mut SalesWriter<W>,
        rng: &mut Rng,
        returns: &mut BTreeMap<Day, Vec<PendingReturn>>,
        day: Day,
        channel: usize,
        promo: Option<&Promo>,
        weights: &[f64],
        partner_weights: &[f64],
        order_id: &str,
    ) -> io::Result<()> {
        if channel == DISTRIBUTORS {
            let growth: Vec<f64> = PARTNERS
                .iter()
                .zip(partner_weights)
                .map(|(p, w)| w * yearly(p.growth, self.scale.start, day))
                .collect();
            let partner = rng.weighted(&growth);
            let territory = PARTNERS[partner].territory;
            let region = territory[rng.below(territory.len())];
            return self
                .write_partner_order(w, rng, returns, day, partner, region, weights, order_id);
        }
        let region_weights: Vec<f64> = REGION_WEIGHT
            .iter()
            .zip(REGION_GROWTH)
            .map(|(w, g)| w * yearly(g, self.scale.start, day))
            .collect();
        let region = rng.weighted(&region_weights);
        let (customer, slot) = if channel == KEY_ACCOUNTS {
            match self.accounts.pick_key_account(rng, region, day) {
                Some(i) => (
                    self.accounts.key_accounts[i].id.as_str(),
                    self.accounts.key_accounts[i].slot,
                ),
                None => return Ok(()),
            }
        } else if rng.chance(CHANNEL_ANONYMOUS[channel]) {
            ("", self.roster.pick_slot(region, rng))
        } else {
            match self.accounts.pick_consumer(rng, region, channel, day) {
                Some(i) => (
                    self.accounts.consumers[i].id.as_str(),
                    self.accounts.consumers[i].slot,
                ),
                None => ("", self.roster.pick_slot(region, rng)),
            }
        };
        let rep = self.roster.rep(region, slot, day).to_string();
        let mut lines = self.draw_lines(rng, channel, day, promo, weights);
        apply_spend_save(&mut lines, promo.and_then(|p| p.spend_save));
        if channel == O2O {
            // Platform settlement: some lines arrive net of a platform subsidy share, with
            // three or four decimals as the export carries them.
            for l in &mut lines {
                if rng.chance(0.12) {
                    let per_mille = rng.between(8, 37);
                    l.amount = l.amount * (1000 - per_mille) / 1000;
                }
            }
        }
        for l in &lines {
            let product = &self.products[l.product];
            w.row(
                day,
                order_id,
                customer,
                product,
                region,
                channel,
                &rep,
                "",
                l.quantity,
                l.unit_price,
                l.amount,
                l.cost,
            )?;
            self.maybe_return(rng, returns, day, channel, customer, region, &rep, "", l);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn write_partner_order<W: Write>(
        &self,
        w: &mut SalesWriter<W>,
        rng: &mut Rng,
        returns: &mut BTreeMap<Day, Vec<PendingReturn>>,
        day: Day,
        partner: usize,
        region: usize,
        weights: &[f64],
        order_id: &str,
    ) -> io::Result<()> {
        let spec = &PARTNERS[partner];
        let partner_name = self.lang.pick(spec.name, spec.zh);
        let home = spec.territory[0];
        let rep = self.roster.rep(home, spec.slot, day).to_string();
        let promo = self.promo(DISTRIBUTORS, day);
        let mut lines = self.draw_lines(rng, DISTRIBUTORS, day, promo, weights);
        apply_spend_save(&mut lines, promo.and_then(|p| p.spend_save));
        for l in &lines {
            let product = &self.products[l.product];
            w.row(
                day,
                order_id,
                "",
                product,
                region,
                DISTRIBUTORS,
                &rep,
                partner_name,
                l.quantity,
                l.unit_price,
                l.amount,
                l.cost,
            )?;
            self.maybe_return(
                rng,
                returns,
                day,
                DISTRIBUTORS,
                "",
                region,
                &rep,
                partner_name,
                l,
            );
        }
        Ok(())
    }

    /// One to three lines with distinct products.
    fn draw_lines(
        &self,
        rng: &mut Rng,
        channel: usize,
        day: Day,
        promo: Option<&Promo>,
        weights: &[f64],
    ) -> Vec<Line> {
        let n = rng.weighted(&CHANNEL_LINES[channel]) + 1;
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for _ in 0..n * 8 {
            if chosen.len() == n {
                break;
            }
            let p = rng.weighted(weights);
            if weights[p] > 0.0 && !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        chosen
            .into_iter()
            .map(|p| {
                let product = &self.products[p];
                let quantity = self.quantity(rng, channel, product.kind);
                let unit_price = self.price(p, channel, day, promo);
                // Custom-made gift boxes for key accounts come without a standard cost.
                let cost = if rng.chance(0.03)
                    || (channel == KEY_ACCOUNTS && product.kind == Kind::Gift && rng.chance(0.3))
                {
                    None
                } else {
                    Some(quantity * product.cost(day))
                };
                Line {
                    product: p,
                    quantity,
                    unit_price,
                    amount: quantity * unit_price,
                    cost,
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn maybe_return(
        &self,
        rng: &mut Rng,
        returns: &mut BTreeMap<Day, Vec<PendingReturn>>,
        day: Day,
        channel: usize,
        customer: &str,
        region: usize,
        rep: &str,
        partner: &str,
        line: &Line,
    ) {
        if !rng.chance(CHANNEL_RETURNS[channel]) {
            return;
        }
        let when = day.plus(rng.between(2, 20));
        if when > self.scale.end {
            return;
        }
        let quantity = rng.between(1, line.quantity.clamp(1, 3));
        let amount = round_cents(line.amount * quantity / line.quantity);
        returns.entry(when).or_default().push(PendingReturn {
            customer: customer.to_string(),
            product: line.product,
            region,
            channel,
            rep: rep.to_string(),
            partner: partner.to_string(),
            quantity: -quantity,
            unit_price: line.unit_price,
            amount: -amount,
            cost: line.cost.map(|c| -(c / line.quantity) * quantity),
        });
    }
}

/// Spend-X-save-Y on the order subtotal, spread over the lines in proportion to their value.
fn apply_spend_save(lines: &mut [Line], rule: Option<(i64, i64)>) {
    let Some((threshold, off)) = rule else { return };
    let subtotal: i64 = lines.iter().map(|l| l.amount).sum();
    if subtotal < threshold * YUAN || subtotal <= 0 {
        return;
    }
    let off = off * YUAN;
    let mut left = off;
    let n = lines.len();
    for (i, l) in lines.iter_mut().enumerate() {
        let share = if i + 1 == n {
            left
        } else {
            round_cents(off * l.amount / subtotal)
        };
        l.amount -= share;
        left -= share;
    }
}

// ---------------------------------------------------------------------------------------
// Traffic, surveys, complaints
// ---------------------------------------------------------------------------------------

fn write_traffic(biz: &Business, path: &Path, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 3);
    let lang = biz.lang;
    let mut out = CsvOut::create(path, lang.encodings().1, lang, biz.scale.written_from)?;
    out.header(lang.pick("date,channel,visitors", "日期,渠道,访客数"))?;
    let mut day = biz.scale.start;
    while day <= biz.scale.end {
        for (channel, conversion) in [(ONLINE, 0.031), (O2O, 0.085)] {
            let promo = biz.promo(channel, day);
            let mut rate = biz.order_rate(channel, day);
            let mut conv = conversion;
            if let Some(p) = promo {
                // Promotions pull in more visitors than they convert.
                rate = rate / p.lift[channel] * p.traffic;
                conv *= p.lift[channel] / p.traffic;
                conv = conv.min(conversion * 1.25);
            }
            let visitors = (rate / conv * (0.9 + 0.2 * rng.unit())).round() as i64;
            let line = format!(
                "{},{},{}",
                lang.date(day),
                lang.channel(channel),
                visitors.max(1)
            );
            out.row(day, &line)?;
        }
        day = day.plus(1);
    }
    out.finish()
}

fn write_surveys(biz: &Business, path: &Path, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 4);
    let lang = biz.lang;
    let mut out = CsvOut::create(path, lang.encodings().1, lang, biz.scale.written_from)?;
    let dimensions: Vec<&str> = SURVEY_DIMENSIONS
        .iter()
        .map(|(en, zh)| lang.pick(en, zh))
        .collect();
    out.header(&format!(
        "{},{},{}",
        lang.pick("date,customer_id,channel", "日期,客户编号,渠道"),
        dimensions.join(","),
        lang.pick("recommend", "推荐意愿")
    ))?;
    let mut seen = HashSet::new();
    let mut day = biz.scale.feedback_start.max(biz.scale.start);
    let accounts = &biz.accounts;
    while day <= biz.scale.end {
        let jitter = 0.6 + 0.8 * rng.unit();
        let n = rng.round_count(biz.scale.surveys_per_day * jitter);
        for _ in 0..n {
            let key = rng.chance(0.1);
            let region = rng.weighted(&REGION_WEIGHT);
            let picked = if key {
                accounts
                    .pick_key_account(&mut rng, region, day)
                    .map(|i| &accounts.key_accounts[i])
            } else {
                let channel = [ONLINE, RETAIL, O2O][rng.weighted(&[0.5, 0.3, 0.2])];
                accounts
                    .pick_consumer(&mut rng, region, channel, day)
                    .map(|i| &accounts.consumers[i])
            };
            let Some(c) = picked else { continue };
            let channel = c.preferred;
            // Months since 2024-01: after-sales improves once the service desk opens (2025-06).
            let t = (day.0 - Day::ymd(2024, 1, 1).0) as f64 / 30.4;
            let service = if day >= Day::ymd(2025, 6, 1) {
                0.35
            } else {
                0.0
            };
            let means = [
                4.45 - if channel == O2O { 0.15 } else { 0.0 },
                4.25 + 0.004 * t,
                if channel == O2O { 3.65 } else { 4.05 } + 0.006 * t,
                3.7 + service,
            ];
            let mut line = format!("{},{},{}", lang.date(day), c.id, lang.channel(channel));
            let mut sum = 0.0;
            let mut count = 0.0;
            for (dim, mean) in means.iter().enumerate() {
                let missing = (dim == 2 && (channel == RETAIL || channel == KEY_ACCOUNTS))
                    || rng.chance(0.03);
                if missing {
                    line.push(',');
                    continue;
                }
                let score = (mean + 0.85 * rng.normalish()).round().clamp(1.0, 5.0);
                sum += score;
                count += 1.0;
                line.push_str(&format!(",{score}"));
            }
            let avg = if count > 0.0 { sum / count } else { 4.0 };
            let recommend = (2.3 * avg - 1.2 + 1.4 * rng.normalish())
                .round()
                .clamp(0.0, 10.0);
            line.push_str(&format!(",{recommend}"));
            if seen.insert(line.clone()) {
                out.row(day, &line)?;
            }
        }
        day = day.plus(1);
    }
    out.finish()
}

fn write_complaints(biz: &Business, path: &Path, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 5);
    let lang = biz.lang;
    let mut out = CsvOut::create(path, lang.encodings().1, lang, biz.scale.written_from)?;
    out.header(lang.pick(
        "id,opened_at,first_response_at,resolved_at,category,channel",
        "投诉编号,受理时间,首次响应时间,解决时间,投诉类别,受理渠道",
    ))?;
    let end_of_data = (biz.scale.end.0 + 1) * 1440; // the end of the last day
    let category_weights: Vec<f64> = COMPLAINT_CATEGORIES.iter().map(|c| c.2).collect();
    let channel_weights: Vec<f64> = COMPLAINT_CHANNELS.iter().map(|c| c.2).collect();
    let start = biz.scale.feedback_start.max(biz.scale.start);
    let mut seq = 0;
    let mut day = start;
    while day <= biz.scale.end {
        let month = day.month() as usize - 1;
        let busy = 0.8 + 0.2 * CHANNEL_MONTH[ONLINE][month] + if month == 10 { 0.4 } else { 0.0 };
        let n = rng.round_count(biz.scale.complaints_per_day * busy);
        for _ in 0..n {
            seq += 1;
            let opened = day.0 * 1440 + rng.between(8 * 60, 22 * 60 + 59);
            let category = rng.weighted(&category_weights);
            let channel = rng.weighted(&channel_weights);
            // Service gets faster over time: late first responses fall from ~22 % to ~8 %.
            let years = (day.0 - start.0) as f64 / 365.25;
            let late = (0.22 - 0.06 * years).max(0.08);
            let response_minutes = if rng.chance(late) {
                rng.between(25 * 60, 70 * 60)
            } else {
                let u = rng.unit();
                20 + (u * u * 23.0 * 60.0) as i64
            };
            let slow_resolution = if category == BILLING { 0.3 } else { 0.12 };
            let resolve_minutes = if rng.chance(slow_resolution) {
                rng.between(7 * 1440, 18 * 1440)
            } else {
                rng.between(120, 6 * 1440)
            };
            let days_left = biz.scale.end.0 - day.0;
            // The queue of the last days: some complaints are still waiting for an answer.
            let waiting = days_left < 10 && rng.chance(0.3);
            let mut first = (!waiting).then_some(opened + response_minutes);
            let mut resolved = Some(opened + response_minutes + resolve_minutes);
            // A few recent cases got stuck (disputed bills, supplier claims) and are still open.
            let stuck = if category == BILLING { 0.3 } else { 0.05 };
            if days_left < 120 && rng.chance(stuck) {
                resolved = None;
            }
            if first.is_some_and(|t| t >= end_of_data) {
                first = None;
            }
            if resolved.is_some_and(|t| t >= end_of_data) || first.is_none() {
                resolved = None;
            }
            let stamp = |t: Option<i64>| t.map(fmt_minutes).unwrap_or_default();
            let (category, channel) = (COMPLAINT_CATEGORIES[category], COMPLAINT_CHANNELS[channel]);
            let line = format!(
                "CP{seq:05},{},{},{},{},{}",
                fmt_minutes(opened),
                stamp(first),
                stamp(resolved),
                lang.pick(category.0, category.1),
                lang.pick(channel.0, channel.1)
            );
            out.row(day, &line)?;
        }
        day = day.plus(1);
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------

struct Args {
    out: PathBuf,
    seed: u64,
    lang: Lang,
}

const USAGE: &str = "usage: generate_data [--out DIR] [--seed N] [--lang en|zh-CN]\n\
    (default --out: data for en, samples/zh-CN/data for zh-CN)";

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut args = Args {
        out: PathBuf::new(),
        seed: DEFAULT_SEED,
        lang: Lang::En,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a directory")?)),
            "--lang" => {
                args.lang = match it.next().as_deref() {
                    Some("en") => Lang::En,
                    Some("zh-CN") => Lang::ZhCn,
                    Some(other) => return Err(format!("--lang: `{other}` is not en or zh-CN")),
                    None => return Err("--lang needs en or zh-CN".to_string()),
                }
            }
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                args.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument: {other}\n{USAGE}")),
        }
    }
    args.out = out.unwrap_or_else(|| PathBuf::from(args.lang.pick("data", "samples/zh-CN/data")));
    Ok(args)
}

fn run(args: &Args) -> io::Result<()> {
    fs::create_dir_all(&args.out)?;
    let scale = match args.lang {
        Lang::En => Scale::demo(),
        Lang::ZhCn => Scale::demo_zh(),
    };
    let biz = Business::new(scale, args.seed, args.lang);
    let files = [
        (
            "sales.csv",
            biz.write_sales(&args.out.join("sales.csv"), args.seed)?,
        ),
        (
            "traffic.csv",
            write_traffic(&biz, &args.out.join("traffic.csv"), args.seed)?,
        ),
        (
            "surveys.csv",
            write_surveys(&biz, &args.out.join("surveys.csv"), args.seed)?,
        ),
        (
            "complaints.csv",
            write_complaints(&biz, &args.out.join("complaints.csv"), args.seed)?,
        ),
    ];
    for (name, rows) in files {
        println!("{}: {rows} rows", args.out.join(name).display());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
