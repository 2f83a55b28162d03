// fcto-corpus-path: app/domain/ai.ts
import type { Summarizer } from "./ports";
import { openaiStyle } from "../util/openai-style";
const note = "import OpenAI from 'openai'";
