//! "Did you mean …?" suggestions for names that do not occur where they should.

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
/// A candidate whose length differs by more than the limit is passed over unmeasured
/// (the distance is at least the difference), so thousands of candidates stay cheap.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Candidates::new(candidates).closest(name)
}

/// Candidates prepared once (lowercased, their lengths counted) for many names, as
/// [`closest`] would take them.
pub struct Candidates<'a> {
    /// `(the lowercased candidate's characters, the candidate)`.
    names: Vec<(Vec<char>, &'a str)>,
}

impl<'a> Candidates<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let names = candidates
            .into_iter()
            .map(|c| (c.to_lowercase().chars().collect(), c))
            .collect();
        Candidates { names }
    }

    /// See [`closest`]: the nearest candidate, the first in byte order among equals, and
    /// never `name` itself. The order the candidates came in does not matter.
    pub fn closest(&self, name: &str) -> Option<&'a str> {
        let limit = (name.chars().count() / 3).max(1);
        let lower: Vec<char> = name.to_lowercase().chars().collect();
        let mut row = Vec::new();
        self.names
            .iter()
            .filter(|(_, c)| *c != name)
            .filter_map(|(other, c)| {
                let d = distance_within(&lower, other, limit, &mut row)?;
                Some((d, *c))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
            .map(|(_, c)| c)
    }
}

/// The edit distance of `a` and `b` when it is at most `limit`. The distance is at least
/// the difference in length, and at least the smallest entry of each row of the table, so
/// either going past `limit` ends the measure early. `row` is scratch space.
fn distance_within(a: &[char], b: &[char], limit: usize, row: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            least = least.min(row[j + 1]);
            prev = cur;
        }
        if least > limit {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= limit)
}

/// Levenshtein distance over characters: the plain full table, against which the tests
/// check [`distance_within`].
#[cfg(test)]
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

    #[test]
    fn the_bounded_distance_is_the_full_one_within_its_limit() {
        let words = [
            "",
            "a",
            "ab",
            "East",
            "Eeast",
            "West",
            "Rep 0001",
            "Rep 0010",
            "Rep 1000",
            "华东区",
            "华东",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "intention",
            "execution",
        ];
        let mut row = Vec::new();
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for limit in 0..6 {
                    let bounded = distance_within(&ca, &cb, limit, &mut row);
                    assert_eq!(
                        bounded,
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
        // By hand: kitten → sitting is 3 (two substitutions, one insertion).
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn prepared_candidates_answer_as_closest_in_any_order() {
        let names = ["West", "East", "Eeast", "North", "华东", "华北", "Es"];
        let forward = Candidates::new(names);
        let backward = Candidates::new(names.iter().rev().copied());
        for name in ["Wast", "Eest", "华东区", "Nort", "nps", "East"] {
            let one_shot = closest(name, names);
            assert_eq!(forward.closest(name), one_shot, "{name}");
            assert_eq!(backward.closest(name), one_shot, "{name}");
        }
        // By hand: "Wast" is one substitution from both West and East; East is first in
        // byte order. "East" itself is never suggested for "East"; "Eeast" is one away.
        assert_eq!(backward.closest("Wast"), Some("East"));
        assert_eq!(backward.closest("East"), Some("Eeast"));
    }
}
