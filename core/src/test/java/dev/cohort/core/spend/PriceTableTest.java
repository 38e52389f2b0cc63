package dev.cohort.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.ValidationException;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  @Test
  void theBuiltInTableSaysItsDateAndSourceAndPricesGpt4oMini() {
    PriceTable table = PriceTable.builtIn();

    assertThat(table.asOf()).contains("2025-08-07");
    assertThat(table.source()).hasValueSatisfying(source -> assertThat(source).contains("openai.com"));
    assertThat(table.find("gpt-4o-mini")).contains(new ModelPrice(0.15, 0.075, 0.60, 0.5));
  }

  @Test
  void aDatedSnapshotIsPricedAsItsFamilyUnlessTheTableNamesIt() {
    PriceTable table = PriceTable.builtIn().with("gpt-4o-2024-05-13", ModelPrice.of(5, 5, 15));

    assertThat(table.find("gpt-4o-mini-2024-07-18")).isEqualTo(table.find("gpt-4o-mini"));
    assertThat(table.find("GPT-4.1-2025-04-14")).isEqualTo(table.find("gpt-4.1"));
    assertThat(table.find("gpt-3.5-turbo-0125")).isEqualTo(table.find("gpt-3.5-turbo"));
    assertThat(table.find("gpt-4o-2024-05-13")).contains(ModelPrice.of(5, 5, 15));
    assertThat(table.find("gpt-4o-2024-08-06")).contains(new ModelPrice(2.50, 1.25, 10.00, 0.5));
  }

  @Test
  void anUnknownModelHasNoPriceNotAZeroOne() {
    assertThat(PriceTable.builtIn().find("llama-3.1-70b")).isEmpty();
    assertThat(PriceTable.builtIn().find(null)).isEmpty();
    assertThat(PriceTable.empty().find("gpt-4o-mini")).isEmpty();
  }

  @Test
  void costPricesCachedPromptTokensAtTheCachedPrice() {
    ModelPrice price = new ModelPrice(0.15, 0.075, 0.60, 0.5);
    // 1,000,000 prompt tokens of which 400,000 cached, 200,000 completion tokens:
    // 0.6 × 0.15 + 0.4 × 0.075 + 0.2 × 0.60 = 0.09 + 0.03 + 0.12 = 0.24 USD.
    TokenUsage usage = new TokenUsage(1_000_000, 200_000, 400_000);

    assertThat(price.costUsd(usage)).isCloseTo(0.24, within(1e-12));
    assertThat(price.batchCostUsd(usage)).isCloseTo(0.12, within(1e-12));
    assertThat(price.costUsd(TokenUsage.ZERO)).isZero();
  }

  @Test
  void aPriceFileOverridesAndExtendsTheBuiltInTable() {
    PriceTable file = PriceTable.parse("""
        {"as_of": "2026-11-30", "source": "our contract",
         "models": {"gpt-4o-mini": {"input_per_million": 0.10, "output_per_million": 0.40},
                    "llama-3.1-70b": {"input_per_million": 0.88, "cached_input_per_million": 0.44,
                                      "output_per_million": 0.88, "batch_discount": 0.5}}}""");

    PriceTable merged = PriceTable.builtIn().withAll(file);

    assertThat(merged.find("gpt-4o-mini")).contains(new ModelPrice(0.10, 0.10, 0.40, 1));
    assertThat(merged.find("llama-3.1-70b")).contains(new ModelPrice(0.88, 0.44, 0.88, 0.5));
    assertThat(merged.find("gpt-4o")).isEqualTo(PriceTable.builtIn().find("gpt-4o"));
    assertThat(merged.asOf()).contains("2026-11-30");
    assertThat(merged.source()).contains("our contract");
  }

  @Test
  void aBadPriceFileNamesEveryBadField() {
    assertThatThrownBy(() -> PriceTable.parse("""
        {"models": {"a": {"input_per_million": -1, "output_per_million": "cheap"},
                    "b": {"input_per_million": 1, "output_per_million": 2, "batch_discount": 0, "extra": 1}},
         "currency": "EUR"}"""))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(ValidationException.FieldError::field)
            .containsExactlyInAnyOrder(
                "currency", "models.a.input_per_million", "models.a.output_per_million",
                "models.b.extra", "models.b.batch_discount"));
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"a\": {\"output_per_million\": 2}}}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(ValidationException.FieldError::field).containsExactly("models.a.input_per_million"));
    assertThatThrownBy(() -> PriceTable.parse("[]")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("prices");
    assertThatThrownBy(() -> PriceTable.parse("{")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void modelPricesAreValidated() {
    assertThatThrownBy(() -> new ModelPrice(Double.NaN, 0, 0, 1)).hasMessageContaining("input_per_million");
    assertThatThrownBy(() -> new ModelPrice(1, 1, 1, 1.5)).hasMessageContaining("batch_discount");
  }
}
