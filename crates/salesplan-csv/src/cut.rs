//! Cutting text into lines and fields: where the block reader may cut at all
//! ([`first_unplain`]), and the masks of delimiters and line breaks it cuts by, built by
//! SSE2 on x86-64 and by a plain loop elsewhere — both always compiled, and tested
//! against each other.

/// The first byte the line cut cannot take: a `"`, or a `\r` not before a `\n`.
pub(crate) fn first_unplain(text: &[u8]) -> Option<usize> {
    let quote = memchr::memchr(b'"', text);
    let within = quote.map_or(text, |q| &text[..q]);
    let lone_cr = memchr::memchr_iter(b'\r', within).find(|&i| text.get(i + 1) != Some(&b'\n'));
    lone_cr.or(quote)
}

/// The delimiters and line breaks of a text, a line at a time ([`Separators::next_break`]),
/// from masks of 64 bytes at a time ([`masks`]).
pub(crate) struct Separators<'t> {
    text: &'t [u8],
    delimiter: u8,
    /// Where the 64 bytes of the masks start; `next` is where the following 64 start.
    base: usize,
    next: usize,
    /// One bit per byte that is a delimiter not yet taken, and per line break.
    delims: u64,
    breaks: u64,
    /// Whether the end of a text without a final line break was given as one.
    ended: bool,
}

impl<'t> Separators<'t> {
    pub(crate) fn new(text: &'t [u8], delimiter: u8) -> Self {
        Separators {
            text,
            delimiter,
            base: 0,
            next: 0,
            delims: 0,
            breaks: 0,
            ended: false,
        }
    }

    /// Pushes one past each delimiter up to the next line break onto `cuts` and returns
    /// the line break's position — or, once, the text's length when it does not end with
    /// a line break. The delimiters of a line are taken in a tight loop over mask bits.
    #[inline]
    pub(crate) fn next_break(&mut self, cuts: &mut Vec<u32>) -> Option<usize> {
        let take = |cuts: &mut Vec<u32>, base: usize, mut bits: u64| {
            while bits != 0 {
                cuts.push((base + bits.trailing_zeros() as usize) as u32 + 1);
                bits &= bits - 1;
            }
        };
        loop {
            if self.breaks != 0 {
                let bit = self.breaks.trailing_zeros();
                let before = (1u64 << bit) - 1;
                take(cuts, self.base, self.delims & before);
                self.delims &= !before;
                self.breaks &= self.breaks - 1;
                return Some(self.base + bit as usize);
            }
            take(cuts, self.base, self.delims);
            self.delims = 0;
            if self.next >= self.text.len() {
                let unended = self.text.last().is_some_and(|&b| b != b'\n');
                if unended && !self.ended {
                    self.ended = true;
                    return Some(self.text.len());
                }
                return None;
            }
            self.base = self.next;
            self.next += 64;
            (self.delims, self.breaks) = masks(&self.text[self.base..], self.delimiter);
        }
    }
}

/// The start of the line holding byte `at`.
pub(crate) fn line_start(text: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &text[..at]).map_or(0, |nl| nl + 1)
}

/// The masks of the (up to) 64 bytes at `bytes`: bit `i` of the first is set when byte
/// `i` is the delimiter, of the second when it is a line break. The delimiter is never a
/// line break ([`crate::Delimiter`]).
#[inline]
pub(crate) fn masks(bytes: &[u8], delimiter: u8) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    if let Some(bytes) = bytes.first_chunk::<64>() {
        return masks_sse2(bytes, delimiter);
    }
    masks_scalar(bytes, delimiter)
}

/// [`masks`] sixteen bytes per instruction. SSE2 is part of x86-64, so every processor
/// that runs this binary has it. Measured with `scripts/bench` on two cores (builds
/// alternating, median of 7 and of 3): with [`masks_scalar`] in its place the whole build
/// takes 25 % longer at 10M rows (3.45 s against 2.60 s) and 20 % longer at 1M (0.35 s
/// against 0.28 s).
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks_sse2(bytes: &[u8; 64], delimiter: u8) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let (mut delims, mut breaks) = (0u64, 0u64);
    for (i, sixteen) in bytes.chunks_exact(16).enumerate() {
        // SAFETY: `sixteen` is 16 readable bytes (a chunk of a `[u8; 64]`), which is what
        // an unaligned 128-bit load reads; SSE2 is always there on x86-64.
        let (d, b) = unsafe {
            let chunk = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(delimiter as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\n' as i8))),
            )
        };
        delims |= u64::from(d as u16) << (16 * i);
        breaks |= u64::from(b as u16) << (16 * i);
    }
    (delims, breaks)
}

/// [`masks`] a byte at a time: the tail of a text, and every other processor.
#[inline]
fn masks_scalar(bytes: &[u8], delimiter: u8) -> (u64, u64) {
    let (mut delims, mut breaks) = (0u64, 0u64);
    for (i, &b) in bytes.iter().take(64).enumerate() {
        breaks |= u64::from(b == b'\n') << i;
        delims |= u64::from(b == delimiter) << i;
    }
    (delims, breaks)
}

/// The lines of `text` without their `\n` (a last line without one included), found with
/// memchr: much faster than a byte-by-byte split.
pub(crate) fn lines_of(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text);
    std::iter::from_fn(move || match ends.next() {
        Some(end) => {
            let line = &text[start..end];
            start = end + 1;
            Some(line)
        }
        None if start < text.len() => {
            let line = &text[start..];
            start = text.len();
            Some(line)
        }
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_are_cut_at_line_breaks_with_a_last_unfinished_line() {
        let lines: Vec<&[u8]> = lines_of(b"a,b\n\nc\r\nd").collect();
        assert_eq!(lines, [&b"a,b"[..], b"", b"c\r", b"d"]);
        assert_eq!(lines_of(b"x\n").count(), 1);
        assert_eq!(lines_of(b"").count(), 0);
    }

    #[test]
    fn masks_mark_delimiters_and_line_breaks() {
        // "a;b\n" then 60 bytes of 'x' with a ';' at 63: delimiters at 1 and 63, a break at 3.
        let mut bytes = [b'x'; 64];
        bytes[..4].copy_from_slice(b"a;b\n");
        bytes[63] = b';';
        let expected = ((1u64 << 1) | (1 << 63), 1u64 << 3);
        assert_eq!(masks_scalar(&bytes, b';'), expected);
        assert_eq!(masks(&bytes, b';'), expected);
        // A tail shorter than 64 bytes: only its own bits.
        assert_eq!(masks(&bytes[..4], b';'), (1 << 1, 1 << 3));
    }

    /// Lines of a text, each as (its fields, where its break is), as a reference for the
    /// masks: split at `\n`, then at the delimiter.
    fn by_hand(text: &[u8], delimiter: u8) -> Vec<(Vec<u32>, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &b) in text.iter().enumerate() {
            if b == b'\n' {
                let cuts = (start..i)
                    .filter(|&j| text[j] == delimiter)
                    .map(|j| j as u32 + 1)
                    .collect();
                out.push((cuts, i));
                start = i + 1;
            }
        }
        if start < text.len() {
            let cuts = (start..text.len())
                .filter(|&j| text[j] == delimiter)
                .map(|j| j as u32 + 1)
                .collect();
            out.push((cuts, text.len()));
        }
        out
    }

    proptest! {
        #[test]
        fn the_sse2_and_the_plain_masks_agree(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'\n'), Just(b'\t'), Just(0xE4u8), any::<u8>()],
                64..=64,
            ),
            delimiter in prop_oneof![Just(b','), Just(b'\t'), Just(b';')],
        ) {
            let plain = masks_scalar(&bytes, delimiter);
            #[cfg(target_arch = "x86_64")]
            prop_assert_eq!(masks_sse2(bytes.as_slice().try_into().unwrap(), delimiter), plain);
            prop_assert_eq!(masks(&bytes, delimiter), plain);
        }

        #[test]
        fn separators_find_every_line_and_field_of_any_text(
            text in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'\n'), Just(b'a'), Just(0xE4u8)],
                0..300,
            ),
        ) {
            let mut separators = Separators::new(&text, b',');
            let mut found = Vec::new();
            loop {
                let mut cuts = Vec::new();
                let Some(at) = separators.next_break(&mut cuts) else { break };
                found.push((cuts, at));
            }
            prop_assert_eq!(found, by_hand(&text, b','));
        }
    }
}
