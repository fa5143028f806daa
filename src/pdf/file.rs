//! The PDF Chromium prints, read and amended without a PDF library: Skia writes plain
//! (uncompressed) object dictionaries and a classic cross-reference table, which is all
//! this needs. Reading gives the page order and the document outline; amending appends an
//! incremental update (new versions of some objects, a new xref section and trailer), the
//! standard way to change a PDF without rewriting it.

use std::collections::BTreeMap;

/// A printed PDF: its bytes and where each object starts.
pub struct PdfFile {
    bytes: Vec<u8>,
    offsets: BTreeMap<u32, usize>,
    root: u32,
    info: Option<u32>,
    startxref: usize,
    size: u32,
}

/// One bookmark of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub id: u32,
    pub title: String,
    /// 1-based page number of its destination.
    pub page: Option<usize>,
    /// 0 for top-level bookmarks.
    pub depth: usize,
}

impl PdfFile {
    /// Reads the trailer and the cross-reference table; `None` when the file is not laid
    /// out that way (another printer, a compressed xref stream).
    pub fn parse(bytes: Vec<u8>) -> Option<PdfFile> {
        let tail_start = bytes.len().saturating_sub(1024);
        let tail = String::from_utf8_lossy(&bytes[tail_start..]);
        let startxref: usize = tail
            .rsplit_once("startxref")?
            .1
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        // The newest section first; an incremental update's trailer points at the one
        // before it (/Prev), whose entries count only where no newer one exists.
        let mut offsets = BTreeMap::new();
        let mut newest_trailer = None;
        let mut section = Some(startxref);
        let mut sections = 0;
        while let Some(at) = section {
            sections += 1;
            if sections > 64 {
                return None;
            }
            let table = String::from_utf8_lossy(bytes.get(at..)?);
            let mut lines = table.lines();
            if lines.next()?.trim() != "xref" {
                return None;
            }
            while let Some(line) = lines.next() {
                if line.trim_start().starts_with("trailer") {
                    break;
                }
                let mut parts = line.split_whitespace();
                let (first, count): (u32, u32) =
                    (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
                for id in first..first + count {
                    let mut fields = lines.next()?.split_whitespace();
                    let offset: usize = fields.next()?.parse().ok()?;
                    if fields.nth(1) == Some("n") {
                        offsets.entry(id).or_insert(offset);
                    }
                }
            }
            let trailer_at = at + find(&bytes[at..], b"trailer")?;
            let end = find(&bytes[trailer_at..], b">>").map_or(bytes.len(), |e| trailer_at + e);
            let trailer = String::from_utf8_lossy(&bytes[trailer_at..end]).into_owned();
            section = number(&trailer, "/Prev").map(|p| p as usize);
            newest_trailer.get_or_insert(trailer);
        }
        let trailer = newest_trailer?;
        Some(PdfFile {
            root: reference(&trailer, "/Root")?,
            info: reference(&trailer, "/Info"),
            size: number(&trailer, "/Size")?,
            offsets,
            startxref,
            bytes,
        })
    }

    /// The dictionary text of object `id` (up to its stream or `endobj`).
    pub fn object(&self, id: u32) -> Option<String> {
        let start = *self.offsets.get(&id)?;
        let rest = self.bytes.get(start..)?;
        let end = find(rest, b"endobj").unwrap_or(rest.len());
        let end = find(&rest[..end], b"stream").unwrap_or(end);
        let text = String::from_utf8_lossy(&rest[..end]);
        let body = text.split_once("obj")?.1;
        Some(body.trim().to_string())
    }

    /// A text entry of the document information (`Title`, `Creator`, …).
    pub fn info(&self, key: &str) -> Option<String> {
        let dict = self.object(self.info?)?;
        string_value(&dict, &format!("/{key}")).map(|(text, _)| text)
    }

    /// Page object ids in reading order (the page tree, depth first).
    pub fn pages(&self) -> Vec<u32> {
        let mut pages = Vec::new();
        if let Some(tree) = self.object(self.root).and_then(|c| reference(&c, "/Pages")) {
            self.collect_pages(tree, &mut pages, 0);
        }
        pages
    }

    fn collect_pages(&self, id: u32, pages: &mut Vec<u32>, depth: usize) {
        let Some(node) = self.object(id) else { return };
        if depth > 32 {
            return;
        }
        match node.find("/Kids") {
            Some(at) => {
                let list = &node[at + 5..];
                let list = &list[..list.find(']').unwrap_or(list.len())];
                for kid in references(list) {
                    self.collect_pages(kid, pages, depth + 1);
                }
            }
            None => pages.push(id),
        }
    }

    /// Every bookmark, in document order.
    pub fn outline(&self) -> Vec<OutlineItem> {
        let pages: BTreeMap<u32, usize> = self
            .pages()
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, i + 1))
            .collect();
        let mut items = Vec::new();
        let first = self
            .object(self.root)
            .and_then(|c| reference(&c, "/Outlines"))
            .and_then(|o| self.object(o))
            .and_then(|o| reference(&o, "/First"));
        if let Some(first) = first {
            self.collect_items(first, 0, &pages, &mut items);
        }
        items
    }

    fn collect_items(
        &self,
        first: u32,
        depth: usize,
        pages: &BTreeMap<u32, usize>,
        items: &mut Vec<OutlineItem>,
    ) {
        let mut next = Some(first);
        while let Some(id) = next {
            // A malformed outline that loops ends here.
            if depth > 16 || items.len() > 10_000 || items.iter().any(|i| i.id == id) {
                return;
            }
            let Some(dict) = self.object(id) else { return };
            let title = string_value(&dict, "/Title")
                .map(|(t, _)| t)
                .unwrap_or_default();
            let page = dict
                .find("/Dest")
                .and_then(|at| references(&dict[at..]).next())
                .and_then(|p| pages.get(&p).copied());
            items.push(OutlineItem {
                id,
                title,
                page,
                depth,
            });
            if let Some(child) = reference(&dict, "/First") {
                self.collect_items(child, depth + 1, pages, items);
            }
            next = reference(&dict, "/Next");
        }
    }

    /// The file with an incremental update: bookmarks retitled (`titles`: object id →
    /// new title) and the document information replaced by `info` (key → text).
    pub fn amend(&self, titles: &BTreeMap<u32, String>, info: &[(&str, String)]) -> Vec<u8> {
        let mut out = self.bytes.clone();
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut written: Vec<(u32, usize)> = Vec::new();
        for (&id, title) in titles {
            let Some(dict) = self.object(id) else {
                continue;
            };
            let Some((_, span)) = string_value(&dict, "/Title") else {
                continue;
            };
            let dict = format!("{}{}{}", &dict[..span.0], pdf_text(title), &dict[span.1..]);
            written.push((id, out.len()));
            out.extend_from_slice(format!("{id} 0 obj\n{dict}\nendobj\n").as_bytes());
        }
        let mut size = self.size;
        let info_id = self.info.unwrap_or_else(|| {
            size += 1;
            size - 1
        });
        let fields: String = info
            .iter()
            .map(|(key, value)| format!("/{key} {}\n", pdf_text(value)))
            .collect();
        // Keep what the printer recorded (dates, producer) unless replaced.
        let kept: String = self
            .info
            .and_then(|i| self.object(i))
            .map(|old| {
                ["/Producer", "/CreationDate", "/ModDate"]
                    .iter()
                    .filter(|k| !info.iter().any(|(key, _)| format!("/{key}") == **k))
                    .filter_map(|k| {
                        string_value(&old, k).map(|(_, s)| format!("{k} {}\n", &old[s.0..s.1]))
                    })
                    .collect()
            })
            .unwrap_or_default();
        written.push((info_id, out.len()));
        out.extend_from_slice(format!("{info_id} 0 obj\n<<{fields}{kept}>>\nendobj\n").as_bytes());
        written.sort();
        let xref = out.len();
        let mut table = String::from("xref\n");
        for (id, offset) in &written {
            table.push_str(&format!("{id} 1\n{offset:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<</Size {size}\n/Root {} 0 R\n/Info {info_id} 0 R\n/Prev {}>>\nstartxref\n{xref}\n%%EOF\n",
            self.root, self.startxref
        ));
        out.extend_from_slice(table.as_bytes());
        out
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of `key` when it is a number.
fn number(dict: &str, key: &str) -> Option<u32> {
    let at = key_at(dict, key)?;
    dict[at..]
        .split_whitespace()
        .next()?
        .trim_end_matches(['>', '/'])
        .parse()
        .ok()
}

/// The object `key` refers to (`/Root 12 0 R`).
fn reference(dict: &str, key: &str) -> Option<u32> {
    let at = key_at(dict, key)?;
    references(&dict[at..]).next().filter(|_| {
        // The reference must be the key's own value, not a later one.
        let rest = dict[at..].trim_start();
        rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Where the value of `key` starts: just after the key, which must end there (`/First`
/// is not `/FirstChar`).
fn key_at(dict: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = dict[from..].find(key) {
        let end = from + i + key.len();
        if !dict[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Some(end);
        }
        from = end;
    }
    None
}

/// Every `N 0 R` in `text`, in order.
fn references(text: &str) -> impl Iterator<Item = u32> + '_ {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = Vec::new();
    for w in words.windows(3) {
        if w[2].starts_with('R') && w[1] == "0" {
            if let Ok(n) = w[0].parse() {
                found.push(n);
            }
        }
    }
    found.into_iter()
}

/// The text string that is the value of `key`, and its span in `dict`.
fn string_value(dict: &str, key: &str) -> Option<(String, (usize, usize))> {
    let at = key_at(dict, key)?;
    let start = at + dict[at..].find(|c: char| !c.is_whitespace())?;
    let bytes = dict.as_bytes();
    let (raw, end) = match bytes[start] {
        b'(' => {
            let mut raw = Vec::new();
            let (mut i, mut depth) = (start + 1, 1);
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if i + 1 < bytes.len() => {
                        i += 1;
                        match bytes[i] {
                            b'n' => raw.push(b'\n'),
                            b'r' => raw.push(b'\r'),
                            b't' => raw.push(b'\t'),
                            b'0'..=b'7' => {
                                let digits = bytes[i..]
                                    .iter()
                                    .take(3)
                                    .take_while(|b| (b'0'..=b'7').contains(*b))
                                    .count();
                                let value = u32::from_str_radix(&dict[i..i + digits], 8).ok()?;
                                raw.push(value as u8);
                                i += digits - 1;
                            }
                            other => raw.push(other),
                        }
                    }
                    b'(' => {
                        depth += 1;
                        raw.push(b'(');
                    }
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                        raw.push(b')');
                    }
                    other => raw.push(other),
                }
                i += 1;
            }
            (raw, i + 1)
        }
        b'<' => {
            let close = start + dict[start..].find('>')?;
            let hex: String = dict[start + 1..close]
                .chars()
                .filter(|c| c.is_ascii_hexdigit())
                .collect();
            let raw = (0..hex.len() / 2)
                .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
                .collect();
            (raw, close + 1)
        }
        _ => return None,
    };
    Some((decode_text(&raw), (start, end.min(dict.len()))))
}

/// A PDF text string's bytes as text: UTF-16BE after a byte-order mark, else
/// PDFDocEncoding (Latin-1 for what Chromium writes).
fn decode_text(raw: &[u8]) -> String {
    match raw.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => raw.iter().map(|&b| b as char).collect(),
    }
}

/// Text as a PDF hex string in UTF-16BE with a byte-order mark: any language, no escaping.
fn pdf_text(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-page PDF laid out as Skia writes it, with a two-level outline; offsets are
    /// computed as it is assembled.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type /Catalog\n/Pages 2 0 R\n/Outlines 5 0 R>>",
            "<</Type /Pages\n/Count 2\n/Kids [3 0 R 4 0 R]>>",
            "<</Type /Page\n/Parent 2 0 R>>",
            "<</Type /Page\n/Parent 2 0 R>>",
            "<</Type /Outlines\n/First 6 0 R\n/Last 6 0 R>>",
            "<</Title (Plan\\040title)\n/Parent 5 0 R\n/Dest [3 0 R /XYZ 0 0 0]\n/First 7 0 R\n/Last 7 0 R>>",
            "<</Title <FEFF9500552E>\n/Parent 6 0 R\n/Dest [4 0 R /XYZ 0 0 0]>>",
            "<</Title (Old)\n/Creator (Browser)\n/Producer (Skia/PDF)>>",
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for o in offsets {
            table.push_str(&format!("{o:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<</Size {}\n/Root 1 0 R\n/Info 8 0 R>>\nstartxref\n{xref}\n%%EOF",
            objects.len() + 1
        ));
        pdf.extend_from_slice(table.as_bytes());
        pdf
    }

    #[test]
    fn reads_pages_and_the_outline_with_its_pages() {
        let pdf = PdfFile::parse(sample()).unwrap();
        assert_eq!(pdf.pages(), [3, 4]);
        let outline = pdf.outline();
        assert_eq!(
            outline,
            [
                OutlineItem {
                    id: 6,
                    title: "Plan title".into(),
                    page: Some(1),
                    depth: 0
                },
                // <FEFF 9500 552E> is UTF-16BE for 销售.
                OutlineItem {
                    id: 7,
                    title: "销售".into(),
                    page: Some(2),
                    depth: 1
                },
            ]
        );
    }

    #[test]
    fn an_amended_file_reads_back_with_the_new_titles_and_information() {
        let pdf = PdfFile::parse(sample()).unwrap();
        let titles = BTreeMap::from([(6, "Plan, retitled".to_string())]);
        let amended = pdf.amend(
            &titles,
            &[
                ("Title", "销售计划".to_string()),
                ("Creator", "salesplan".to_string()),
            ],
        );
        let again = PdfFile::parse(amended).unwrap();
        assert_eq!(again.outline()[0].title, "Plan, retitled");
        assert_eq!(again.outline()[1].title, "销售");
        let info = again.object(8).unwrap();
        assert_eq!(string_value(&info, "/Title").unwrap().0, "销售计划");
        assert_eq!(string_value(&info, "/Creator").unwrap().0, "salesplan");
        // What was not replaced is kept.
        assert_eq!(string_value(&info, "/Producer").unwrap().0, "Skia/PDF");
    }

    #[test]
    fn something_else_is_not_read_as_a_pdf() {
        assert!(PdfFile::parse(b"not a pdf".to_vec()).is_none());
        assert!(PdfFile::parse(Vec::new()).is_none());
    }
}
