// fcto-corpus-path: app/domain/ai.ts
import Anthropic from "@anthropic-ai/sdk";
import { S3Client } from "@aws-sdk/client-s3";
