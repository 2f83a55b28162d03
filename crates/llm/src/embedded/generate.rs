//! The token loop, on a blocking thread: one forward pass over the prompt,
//! then one per new token with the model's key-value cache, sampling each
//! next token and handing text out as soon as it is safe to show.

use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_transformers::generation::LogitsProcessor;
use candle_transformers::models::quantized_llama::ModelWeights;
use candle_transformers::utils::apply_repeat_penalty;

use super::stops::Stops;
use super::tokenizer::{Tokenizer, Utf8Stream};

/// How many of the latest answer tokens the repeat penalty looks at.
const REPEAT_WINDOW: usize = 64;

pub(super) struct Job<'a> {
    pub prompt: &'a [u32],
    pub max_tokens: usize,
    /// None: greedy, the most likely token every time.
    pub temperature: Option<f64>,
    pub stop: &'a [String],
    pub seed: u64,
    /// 1.0 is none; above it, tokens the answer already used are less likely.
    pub repeat_penalty: f32,
    pub deadline: Instant,
    /// Tokens that end the answer (`<|im_end|>`, end of text).
    pub end: &'a [u32],
}

pub(super) struct Generated {
    pub text: String,
    pub completion_tokens: usize,
    /// "stop" (the model ended, or a stop string) or "length".
    pub finish_reason: &'static str,
}

pub(super) enum Halt {
    /// The deadline passed.
    Timeout,
    /// Nobody is listening any more (the caller went away).
    Abandoned,
    Failed(candle_core::Error),
}

impl From<candle_core::Error> for Halt {
    fn from(e: candle_core::Error) -> Self {
        Halt::Failed(e)
    }
}

/// Runs `job`; `emit` gets each piece of text and says whether anyone is
/// still listening.
pub(super) fn run(
    model: &mut ModelWeights,
    tokenizer: &Tokenizer,
    job: Job<'_>,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<Generated, Halt> {
    let device = Device::Cpu;
    let mut sampler = LogitsProcessor::new(job.seed, job.temperature, None);
    let mut utf8 = Utf8Stream::default();
    let mut stops = Stops::new(job.stop);
    let mut answer: Vec<u32> = Vec::with_capacity(job.max_tokens);
    let mut send = |piece: String| -> Result<(), Halt> {
        if piece.is_empty() || emit(piece) {
            Ok(())
        } else {
            Err(Halt::Abandoned)
        }
    };

    if Instant::now() >= job.deadline {
        return Err(Halt::Timeout);
    }
    let input = Tensor::new(job.prompt, &device)?.unsqueeze(0)?;
    let mut logits = model.forward(&input, 0)?;
    let mut finish_reason = "length";
    while answer.len() < job.max_tokens {
        if Instant::now() >= job.deadline {
            return Err(Halt::Timeout);
        }
        let mut scores = logits.squeeze(0)?.to_dtype(DType::F32)?;
        if job.repeat_penalty != 1.0 && !answer.is_empty() {
            let recent = &answer[answer.len().saturating_sub(REPEAT_WINDOW)..];
            scores = apply_repeat_penalty(&scores, job.repeat_penalty, recent)?;
        }
        let next = sampler.sample(&scores)?;
        if job.end.contains(&next) {
            finish_reason = "stop";
            break;
        }
        answer.push(next);
        let step = stops.push(&utf8.push(tokenizer.token_bytes(next)));
        send(step.emit)?;
        if step.stopped {
            return Ok(Generated {
                text: stops.text().to_string(),
                completion_tokens: answer.len(),
                finish_reason: "stop",
            });
        }
        if answer.len() >= job.max_tokens {
            break;
        }
        let input = Tensor::new(&[next], &device)?.unsqueeze(0)?;
        logits = model.forward(&input, job.prompt.len() + answer.len() - 1)?;
    }
    // An unfinished char at the very end, then whatever was held back.
    let step = stops.push(&utf8.finish());
    send(step.emit)?;
    if !step.stopped {
        send(stops.finish())?;
    } else {
        finish_reason = "stop";
    }
    Ok(Generated {
        text: stops.text().to_string(),
        completion_tokens: answer.len(),
        finish_reason,
    })
}
