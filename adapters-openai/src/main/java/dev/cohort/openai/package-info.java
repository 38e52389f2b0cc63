/**
 * A {@link dev.cohort.core.port.LlmPort} for the OpenAI Chat Completions API and every server that
 * speaks it (Azure OpenAI, Ollama, vLLM, llama.cpp, LM Studio): {@link
 * dev.cohort.openai.OpenAiChatModel}, configured with a builder or from the {@code OPENAI_*}
 * environment variables. It sends the turn format's JSON schema as a structured-output response
 * format, reports usage, finish reason and the provider's rate-limit headers, and sorts failures
 * into retryable, batch-fatal and call-fatal ones. The API key is held in an {@link
 * dev.cohort.openai.ApiKey} and appears in no log line, exception or {@code toString()}.
 */
@NullMarked
package dev.cohort.openai;

import org.jspecify.annotations.NullMarked;
