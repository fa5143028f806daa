//! Names of the example business that both data generators write, spelled as the example
//! plan (`content/*.yaml`) spells them.

/// The five sales regions.
pub const REGIONS: [&str; 5] = ["East", "South", "North", "Central", "West"];

/// The seven product lines.
pub const LINES: [&str; 7] = [
    "Green Tea",
    "Oolong & Black Tea",
    "Pu'er & White Tea",
    "Tea Bags",
    "Bottled Tea",
    "Gift Sets",
    "Teaware",
];
