//! Expanding quantized weights to f32 before the model is built (see
//! `EmbeddedConfig::dequantize` for why). candle builds its matrices from
//! a GGUF header and a reader, and treats F32 tensors as plain matrices,
//! so the header is rewritten to name F32 tensors in an in-memory buffer.
//! The buffer lives only while the model is built.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use candle_core::quantized::gguf_file::{Content, TensorInfo};
use candle_core::quantized::GgmlDType;
use candle_core::Device;

/// The same model, every tensor F32, read from the returned buffer.
pub(super) fn to_f32<R: Read + Seek>(
    header: Content,
    reader: &mut R,
) -> candle_core::Result<(Content, Cursor<Vec<u8>>)> {
    let device = Device::Cpu;
    let total: usize = header
        .tensor_infos
        .values()
        .map(|info| info.shape.elem_count() * 4)
        .sum();
    let mut data = Vec::with_capacity(total);
    let mut infos = HashMap::with_capacity(header.tensor_infos.len());
    for (name, info) in &header.tensor_infos {
        let values = header
            .tensor(reader, name, &device)?
            .dequantize(&device)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        let offset = data.len() as u64;
        for v in values {
            data.extend_from_slice(&v.to_le_bytes());
        }
        infos.insert(
            name.clone(),
            TensorInfo {
                ggml_dtype: GgmlDType::F32,
                shape: info.shape.clone(),
                offset,
            },
        );
    }
    let header = Content {
        magic: header.magic,
        metadata: header.metadata,
        tensor_infos: infos,
        tensor_data_offset: 0,
    };
    Ok((header, Cursor::new(data)))
}
