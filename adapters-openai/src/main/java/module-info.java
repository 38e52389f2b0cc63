/**
 * Cohort's OpenAI-compatible model adapter: {@code OpenAiChatModel} (Chat Completions over
 * {@code java.net.http}) and {@code ApiKey}. Request and response bodies are built as Jackson
 * trees, so no class here is opened for reflection.
 */
module dev.cohort.openai {
  exports dev.cohort.openai;

  requires transitive dev.cohort.core;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;
}
