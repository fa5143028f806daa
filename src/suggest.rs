//! "Did you mean …?" suggestions for names that do not occur where they should.

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
/// A candidate whose length differs by more than the limit is passed over unmeasured
/// (the distance is at least the difference), so thousands of candidates stay cheap.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    let len = lower.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .filter_map(|c| {
            let other = c.to_lowercase();
            if other.chars().count().abs_diff(len) > limit {
                return None;
            }
            let d = edit_distance(&lower, &other);
            (d <= limit).then_some((d, c))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("Eest", ["East", "West", "North"]), Some("East"));
        assert_eq!(closest("nps", ["csat", "gross_margin"]), None);
        assert_eq!(closest("华东区", ["华东", "华北"]), Some("华东"));
        // Lengths within the limit of 1 (4 characters / 3): one deletion or insertion
        // away is suggested, two characters longer or shorter is not.
        assert_eq!(closest("Eest", ["Eeast"]), Some("Eeast"));
        assert_eq!(closest("Eest", ["Eeeast", "Es"]), None);
        // Equal distances: the first in byte order.
        assert_eq!(closest("Wast", ["West", "East"]), Some("East"));
    }
}
