//! 128-bit fingerprints of records for the duplicate check (FORMAT.md §9: rows identical
//! in every column, values keyed by header name).
//!
//! A record's fingerprint is the xxh3-128 hash of its trimmed values in a canonical column
//! order, joined by the delimiter, seeded with the canonical header names. The canonical
//! order is the dataset's first header when a file has the same names (in any order), and
//! the names sorted otherwise — so identical rows of files whose columns come in different
//! orders match, and a record of a file in the canonical order whose values need no
//! trimming is hashed straight from its line, without copying a byte.
//!
//! Joining by the delimiter is unambiguous while no value holds the delimiter, which is
//! always so for records cut at delimiters. A quoted value may hold one: such records are
//! hashed from their length-prefixed values after a `0xFF` byte instead, which UTF-8 text
//! never contains, so the two forms never meet.

/// Fingerprints the records of one file.
pub(crate) struct Fingerprinter {
    /// For each canonical column, its position in this file.
    order: Vec<usize>,
    /// Whether `order` is this file's own order.
    in_file_order: bool,
    delimiter: u8,
    /// The canonical names, hashed once: the fingerprint's seed.
    seed: u64,
    buffer: Vec<u8>,
}

impl Fingerprinter {
    /// For a file with `header`, in a dataset whose first file's header is `first`.
    pub(crate) fn new(header: &[String], first: &[String], delimiter: u8) -> Self {
        fn sorted(names: &[String]) -> Vec<&str> {
            let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
            names.sort_unstable();
            names
        }
        let canonical: Vec<&str> = if sorted(header) == sorted(first) {
            first.iter().map(String::as_str).collect()
        } else {
            sorted(header)
        };
        // The k-th occurrence of a name maps to its k-th occurrence in this file (only
        // empty names, which the header check allows, can repeat).
        let mut taken = vec![false; header.len()];
        let order: Vec<usize> = canonical
            .iter()
            .map(|name| {
                let at = (0..header.len())
                    .find(|&i| !taken[i] && header[i] == *name)
                    .expect("the same names");
                taken[at] = true;
                at
            })
            .collect();
        let mut names = Vec::new();
        for name in &canonical {
            names.extend_from_slice(name.as_bytes());
            names.push(0x1f);
        }
        Fingerprinter {
            in_file_order: order.iter().enumerate().all(|(i, &at)| i == at),
            order,
            delimiter,
            seed: xxhash_rust::xxh3::xxh3_64(&names),
            buffer: Vec::with_capacity(256),
        }
    }

    /// A record cut at delimiters, given by its field count and its fields. A record of
    /// the header's length is taken in canonical order, any other in file order (it is
    /// invalid whatever its fingerprint, and never equal to a record of another length).
    pub(crate) fn of_fields<'a>(
        &mut self,
        count: usize,
        field: impl Fn(usize) -> &'a [u8],
    ) -> u128 {
        self.buffer.clear();
        for i in 0..count {
            if i > 0 {
                self.buffer.push(self.delimiter);
            }
            let at = if count == self.order.len() {
                self.order[i]
            } else {
                i
            };
            self.buffer.extend_from_slice(field(at).trim_ascii());
        }
        xxhash_rust::xxh3::xxh3_128_with_seed(&self.buffer, self.seed)
    }

    /// A quote-free line (without its line break) whose `count` fields need no trimming:
    /// hashed as it is when the file is in canonical order. `None` otherwise.
    pub(crate) fn of_clean_line(&self, line: &[u8], count: usize) -> Option<u128> {
        (self.in_file_order || count != self.order.len())
            .then(|| xxhash_rust::xxh3::xxh3_128_with_seed(line, self.seed))
    }

    /// A record from the CSV reader, whose values may hold anything.
    pub(crate) fn of_record(&mut self, record: &csv::ByteRecord) -> u128 {
        if !record.iter().any(|f| f.contains(&self.delimiter)) {
            return self.of_fields(record.len(), |i| record.get(i).unwrap_or_default());
        }
        self.buffer.clear();
        self.buffer.push(0xFF);
        let count = record.len();
        for i in 0..count {
            let at = if count == self.order.len() {
                self.order[i]
            } else {
                i
            };
            let value = record.get(at).unwrap_or_default().trim_ascii();
            self.buffer
                .extend_from_slice(&(value.len() as u64).to_le_bytes());
            self.buffer.extend_from_slice(value);
        }
        xxhash_rust::xxh3::xxh3_128_with_seed(&self.buffer, self.seed)
    }
}

/// Whether a field (delimiters excluded) would change when trimmed.
pub(crate) fn needs_trim(field: &[u8]) -> bool {
    field.first().is_some_and(u8::is_ascii_whitespace)
        || field.last().is_some_and(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn record(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn one_row_has_one_fingerprint_however_it_is_written() {
        let first = names(&["a", "b", "c"]);
        let mut same = Fingerprinter::new(&first, &first, b',');
        let mut swapped = Fingerprinter::new(&names(&["c", "a", "b"]), &first, b',');
        let line = same.of_clean_line(b"1,x y,3", 3).expect("in file order");
        // Cut fields, padded fields, a CSV record, and the columns in another order.
        assert_eq!(same.of_fields(3, |i| [&b"1"[..], b"x y", b"3"][i]), line);
        assert_eq!(same.of_fields(3, |i| [&b" 1"[..], b"x y ", b"3"][i]), line);
        assert_eq!(same.of_record(&record(&["1", "x y", "3"])), line);
        assert_eq!(swapped.of_record(&record(&["3", "1", "x y"])), line);
        assert!(swapped.of_clean_line(b"3,1,x y", 3).is_none());
        // Other values, or a value holding the delimiter, differ.
        assert_ne!(same.of_fields(3, |i| [&b"1"[..], b"x", b"3"][i]), line);
        let a = same.of_record(&record(&["1,x", "y", "3"]));
        let b = same.of_record(&record(&["1", "x,y", "3"]));
        assert_ne!(a, b);
        assert_ne!(a, same.of_clean_line(b"1,x,y,3", 4).unwrap());
        // A file with other names never matches.
        let mut other = Fingerprinter::new(&names(&["a", "b", "d"]), &first, b',');
        assert_ne!(other.of_record(&record(&["1", "x y", "3"])), line);
    }
}
