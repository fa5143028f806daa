//! Decoding on the way in: a UTF-8 byte-order mark dropped, GBK and GB18030 transcoded to
//! UTF-8 as the bytes stream through.

use std::io::{self, Read};

/// Drops a UTF-8 byte-order mark at the start of a stream.
pub(crate) struct SkipBom<R> {
    inner: R,
    /// Bytes read while looking for the mark that still have to be handed out.
    pending: Vec<u8>,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    pub(crate) fn new(inner: R) -> Self {
        SkipBom {
            inner,
            pending: Vec::new(),
            checked: false,
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut filled = 0;
            while filled < 3 {
                let n = self.inner.read(&mut head[filled..])?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            let start = if head[..filled] == [0xEF, 0xBB, 0xBF] {
                3
            } else {
                0
            };
            self.pending = head[start..filled].to_vec();
        }
        if !self.pending.is_empty() {
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Decodes a legacy encoding (GBK, GB18030) to UTF-8 as the bytes stream through.
pub(crate) struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Transcode<R> {
    pub(crate) fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Transcode {
            inner,
            // Sniffs a byte-order mark: a UTF-8 BOM switches the decoder to UTF-8.
            decoder: encoding.new_decoder(),
            input: vec![0; 1 << 16],
            output: Vec::with_capacity(1 << 17),
            out_pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.output.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            self.eof = n == 0;
            self.output.clear();
            self.out_pos = 0;
            let capacity = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.output.resize(capacity, 0);
            let (result, _, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[..n],
                &mut self.output,
                self.eof,
            );
            self.output.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "bytes that are not valid {}",
                        self.decoder.encoding().name()
                    ),
                ));
            }
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}
