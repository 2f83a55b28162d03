//! Opening a GGUF file safely. candle's reader trusts the lengths in the
//! header (a damaged one can make it reserve terabytes, or divide by a zero
//! alignment), so the header is walked here first with every length checked
//! against the file's size; then candle reads it, and every tensor is
//! checked to lie inside the file, so a cut-short download is named as such
//! instead of failing deep inside the model loader.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use candle_core::quantized::gguf_file::{Content, Value};

/// Deeper nesting of arrays than this is not a real model file.
const MAX_ARRAY_DEPTH: u32 = 3;
/// GGML tensors have at most 4 dimensions.
const MAX_DIMENSIONS: u32 = 4;

/// A GGUF file whose header was read and whose tensors all fit in it.
pub(super) struct Gguf {
    pub header: Content,
    pub reader: BufReader<File>,
}

/// Why a file is not a usable GGUF, as a sentence for `LlmError::Model`.
pub(super) fn open(path: &Path) -> Result<Gguf, String> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such file (scripts/fetch-model downloads the default model)".to_string()
        }
        _ => format!("cannot open: {e}"),
    })?;
    let size = file
        .metadata()
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    let mut reader = BufReader::new(file);
    let mut magic = [0u8; 4];
    if size < 4 || reader.read_exact(&mut magic).is_err() || &magic != b"GGUF" {
        let shown = &magic[..size.min(4) as usize];
        return Err(format!(
            "not a GGUF model file (it starts with {shown:02x?}, not \"GGUF\")"
        ));
    }
    Walk {
        reader: &mut reader,
        size,
        wide: true,
    }
    .header()?;
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read: {e}"))?;
    let header = Content::read(&mut reader).map_err(|e| format!("unreadable GGUF header: {e}"))?;
    for (name, info) in &header.tensor_infos {
        let blocks = info.shape.elem_count() / info.ggml_dtype.block_size().max(1);
        let bytes = (blocks as u64).saturating_mul(info.ggml_dtype.type_size() as u64);
        let end = header
            .tensor_data_offset
            .saturating_add(info.offset)
            .saturating_add(bytes);
        if end > size {
            return Err(format!(
                "truncated: tensor {name} ends at byte {end} but the file has {size} \
                 (download it again: scripts/fetch-model)"
            ));
        }
    }
    Ok(Gguf { header, reader })
}

/// A metadata string (`general.architecture`).
pub(super) fn string<'a>(content: &'a Content, key: &str) -> Option<&'a str> {
    match content.metadata.get(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// A metadata count of any integer type (`llama.context_length`).
pub(super) fn count(content: &Content, key: &str) -> Option<u64> {
    let value = content.metadata.get(key)?;
    value
        .to_u64()
        .ok()
        .or_else(|| value.to_u32().ok().map(u64::from))
        .or_else(|| value.to_i32().ok().and_then(|v| u64::try_from(v).ok()))
}

/// A bounds-checked walk over the header that reads nothing big.
struct Walk<'a> {
    reader: &'a mut BufReader<File>,
    size: u64,
    /// GGUF v2 and v3 use 64-bit lengths, v1 32-bit.
    wide: bool,
}

impl Walk<'_> {
    fn header(&mut self) -> Result<(), String> {
        let version = self.u32()?;
        if !(1..=3).contains(&version) {
            return Err(format!("GGUF version {version} is not supported (1 to 3)"));
        }
        self.wide = version >= 2;
        let tensors = self.len()?;
        let entries = self.len()?;
        for _ in 0..entries {
            let key = self.string()?;
            let kind = self.u32()?;
            match Self::fixed(kind)? {
                // candle divides by it.
                Some(bytes) if key == "general.alignment" => {
                    let mut value = [0u8; 8];
                    let value = &mut value[..bytes as usize];
                    self.reader
                        .read_exact(value)
                        .map_err(|_| self.truncated("a number", bytes))?;
                    if value.iter().all(|&b| b == 0) {
                        return Err("damaged header: general.alignment is 0".into());
                    }
                }
                _ => self.value(kind, 0)?,
            }
        }
        for _ in 0..tensors {
            self.skip_string()?;
            let dimensions = self.u32()?;
            if dimensions > MAX_DIMENSIONS {
                return Err(format!(
                    "damaged header: a tensor with {dimensions} dimensions"
                ));
            }
            let each = if self.wide { 8 } else { 4 };
            // The dimensions, the type and the offset.
            self.skip(u64::from(dimensions) * each + 4 + 8)?;
        }
        Ok(())
    }

    fn position(&mut self) -> Result<u64, String> {
        self.reader.stream_position().map_err(|e| e.to_string())
    }

    fn truncated(&mut self, what: &str, bytes: u64) -> String {
        let at = self.position().unwrap_or(0);
        format!(
            "truncated or damaged: {what} of {bytes} bytes at byte {at}, the file has {} \
             (download it again: scripts/fetch-model)",
            self.size
        )
    }

    fn skip(&mut self, bytes: u64) -> Result<(), String> {
        let at = self.position()?;
        if at.saturating_add(bytes) > self.size {
            return Err(self.truncated("a field", bytes));
        }
        let step = i64::try_from(bytes).map_err(|_| self.truncated("a field", bytes))?;
        self.reader.seek_relative(step).map_err(|e| e.to_string())
    }

    fn u32(&mut self) -> Result<u32, String> {
        let mut b = [0u8; 4];
        match self.reader.read_exact(&mut b) {
            Ok(()) => Ok(u32::from_le_bytes(b)),
            Err(_) => Err(self.truncated("a number", 4)),
        }
    }

    fn u64(&mut self) -> Result<u64, String> {
        let mut b = [0u8; 8];
        match self.reader.read_exact(&mut b) {
            Ok(()) => Ok(u64::from_le_bytes(b)),
            Err(_) => Err(self.truncated("a number", 8)),
        }
    }

    fn len(&mut self) -> Result<u64, String> {
        if self.wide {
            self.u64()
        } else {
            self.u32().map(u64::from)
        }
    }

    /// A string's length, checked to fit in what is left of the file.
    fn string_len(&mut self) -> Result<u64, String> {
        let len = self.len()?;
        let at = self.position()?;
        if at.saturating_add(len) > self.size {
            return Err(self.truncated("a string", len));
        }
        Ok(len)
    }

    fn skip_string(&mut self) -> Result<(), String> {
        let len = self.string_len()?;
        self.skip(len)
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.string_len()?;
        let mut bytes = vec![0u8; len as usize];
        self.reader
            .read_exact(&mut bytes)
            .map_err(|_| self.truncated("a string", len))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The size of a fixed-size value type, None for strings and arrays.
    fn fixed(kind: u32) -> Result<Option<u64>, String> {
        Ok(match kind {
            0 | 1 | 7 => Some(1),
            2 | 3 => Some(2),
            4..=6 => Some(4),
            10..=12 => Some(8),
            8 | 9 => None,
            other => return Err(format!("damaged header: unknown value type {other}")),
        })
    }

    fn value(&mut self, kind: u32, depth: u32) -> Result<(), String> {
        if let Some(bytes) = Self::fixed(kind)? {
            return self.skip(bytes);
        }
        if kind == 8 {
            return self.skip_string();
        }
        if depth >= MAX_ARRAY_DEPTH {
            return Err("damaged header: arrays nested too deep".into());
        }
        let element = self.u32()?;
        let n = self.len()?;
        let each = Self::fixed(element)?.unwrap_or(if self.wide { 8 } else { 4 });
        // Even strings and arrays take at least their length field each.
        let at = self.position()?;
        if at.saturating_add(n.saturating_mul(each)) > self.size {
            return Err(self.truncated("an array", n.saturating_mul(each)));
        }
        match Self::fixed(element)? {
            Some(bytes) => self.skip(n * bytes),
            None => {
                for _ in 0..n {
                    self.value(element, depth + 1)?;
                }
                Ok(())
            }
        }
    }
}
